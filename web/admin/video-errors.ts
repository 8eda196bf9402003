// The video library's refusals in the page's language, by error code. The server's English message is read only for
// the facts it names (the codec it found, the size cap), which are shown as they are inside the translated sentence.
import { ApiError } from '../shared/api';
import { t, type MessageKey } from '../shared/i18n';

const BY_CODE = new Set([
  'upload_in_progress', 'payload_too_large', 'unsupported_codec', 'invalid_media', 'storage_full', 'vod_upload_rate',
  'upload_timeout', 'upload_aborted', 'video_not_found', 'network_error',
]);

/**
 * Text for a failed upload or change of `name`; codes the section does not know go to `other` (the console's
 * own wording: bad token, a server message as it came).
 */
export function videoErrorText(err: unknown, name: string, other: (err: unknown) => string): string {
  if (!(err instanceof ApiError)) return other(err);
  if (err.code === 'invalid_video_name') return t('admin.videos.badName', { name });
  if (!BY_CODE.has(err.code)) return other(err);
  return t(`admin.videos.error.${err.code}` as MessageKey, {
    name,
    codec: codecOf(err.message),
    max: /\bat most (\d+(?:\.\d+)? [KMG]B)\b/.exec(err.message)?.[1] ?? 'VOD_MAX_MB',
  });
}

/** FLV's numeric codec ids (video CodecID, audio SoundFormat), as the FLV probe reports them */
const FLV_VIDEO: Record<string, string> = { 2: 'Sorenson H.263', 3: 'Screen video', 4: 'VP6', 5: 'VP6 alpha', 6: 'Screen video 2' };
const FLV_AUDIO: Record<string, string> = {
  0: 'PCM', 1: 'ADPCM', 2: 'MP3', 3: 'PCM', 4: 'Nellymoser', 5: 'Nellymoser', 6: 'Nellymoser', 7: 'G.711 A-law',
  8: 'G.711 mu-law', 11: 'Speex', 14: 'MP3',
};

/** MP4 sample entries (and their RFC 6381 prefixes) a file may carry that we cannot: the tag alone means little */
const MP4_CODECS: Record<string, string> = {
  'mp4v': 'MPEG-4 Part 2', 'mp4a.6b': 'MP3', 'mp4a.69': 'MP3', 'mp3': 'MP3', 'hvc1': 'HEVC', 'hev1': 'HEVC', 'av01': 'AV1',
  'vp08': 'VP8', 'vp09': 'VP9', 'ac-3': 'AC-3', 'ec-3': 'E-AC-3', 'opus': 'Opus', 'Opus': 'Opus',
};

/**
 * "Unsupported media: video codec mp4v, audio codec mp4a.6b is not supported (…)" → "MPEG-4 Part 2 (mp4v), MP3 (mp4a.6b)";
 * the FLV probe says "video codec HEVC", "video codec id 2", "audio format 2" (→ Sorenson H.263, MP3).
 * Nothing recognised: the message itself.
 */
export function codecOf(message: string): string {
  const found = [...message.matchAll(/\b(video|audio) (codec|format)( id)? ([\w.-]+)/g)].map(([, kind, word, id, name]) => {
    if (kind === 'video' && id) return FLV_VIDEO[name!] ?? `FLV video ${name}`;
    if (kind === 'audio' && word === 'format') return FLV_AUDIO[name!] ?? `FLV audio ${name}`;
    const known = Object.entries(MP4_CODECS).find(([tag]) => name!.startsWith(tag))?.[1];
    return known ? `${known} (${name})` : name!;
  });
  return found.length > 0 ? [...new Set(found)].join(', ') : message;
}

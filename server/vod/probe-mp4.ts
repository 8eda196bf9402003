// Probes an MP4 file with mp4box.js (GPAC): the boxes are fed to it, following the positions it asks for, until
// the moov is parsed (moov at either end). Truncated = a sample whose bytes lie past the end of the file.
import { open, type FileHandle } from 'node:fs/promises';
import { readMovie, type Mp4box } from '../vod-media/mp4box-lib';
import { ProbeError } from './probe-error';
import { roundSeconds, type ProbeResult } from './probe-result';


async function movieOf(fh: FileHandle, size: number): Promise<{ file: Mp4box.ISOFile; info: Mp4box.Movie }> {
  const movie = await readMovie(fh, size, (err) => new ProbeError('invalid', `not an MP4 file: ${err.message}`));
  if (!movie) throw new ProbeError('invalid', 'no MP4 movie header (moov) found: not an MP4 file, or truncated');
  return movie;
}

export async function probeMp4(path: string): Promise<ProbeResult> {
  const fh = await open(path, 'r');
  try {
    const size = (await fh.stat()).size;
    const { file, info } = await movieOf(fh, size);
    let video: ProbeResult['video'] = null;
    let audio: ProbeResult['audio'] = null;
    const unsupported: string[] = [];
    let end = 0;
    for (const t of info.tracks) {
      const isVideo = t.video !== undefined || /^(avc|hvc|hev|mp4v|av01|vp0)/.test(t.codec);
      const isAudio = t.audio !== undefined || t.codec.startsWith('mp4a') || t.codec === 'mp3' || t.codec === 'ac-3';
      if (isVideo && /^avc[13]\./.test(t.codec) && !video) {
        video = { codec: 'h264', width: t.video?.width ?? t.track_width, height: t.video?.height ?? t.track_height };
      } else if (isAudio && /^mp4a\.40\./.test(t.codec) && !audio) {
        audio = { codec: 'aac', sampleRate: t.audio?.sample_rate ?? 0, channels: t.audio?.channel_count ?? 0 };
      } else if (isVideo || isAudio) {
        unsupported.push(`${isVideo ? 'video' : 'audio'} codec ${t.codec}`);
        continue;
      } else continue;
      for (const s of file.getTrackSamplesInfo(t.id)) end = Math.max(end, s.offset + s.size);
    }
    if (unsupported.length > 0) throw new ProbeError('unsupported', `${unsupported.join(', ')} is not supported (H.264 and AAC only)`);
    if (!video && !audio) throw new ProbeError('invalid', 'MP4 file has no H.264 or AAC track');
    if (end > size) throw new ProbeError('invalid', `MP4 file is truncated: its samples need ${end} bytes, the file has ${size}`);
    const durationS = info.timescale > 0 ? info.duration / info.timescale : 0;
    return { format: 'mp4', durationS: roundSeconds(durationS), sizeBytes: size, video, audio };
  } finally {
    await fh.close();
  }
}

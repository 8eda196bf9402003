// One video upload, `PUT /api/admin/videos/:name` with the raw file as the body. XMLHttpRequest rather than fetch:
// only XHR reports upload progress (fetch has no upload events). Failures become the same ApiError as api() throws.
import type { ApiErrorBody } from '../../typings/api';
import type { Video, VideoResponse } from '../../typings/vod';
import { ApiError } from '../shared/api';

export interface PutProgress {
  loaded: number;
  total: number;
}

export interface VideoPut {
  /** the stored video (201), or ApiError; an abort rejects with ApiError code `aborted` */
  done: Promise<Video>;
  abort(): void;
}

/** Starts sending `file` as `name`; `onProgress` follows the bytes sent, `onSent` fires once all are out. */
export function putVideo(name: string, file: Blob, token: string, onProgress: (p: PutProgress) => void,
  onSent: () => void = () => {}): VideoPut {
  const xhr = new XMLHttpRequest();
  const done = new Promise<Video>((resolve, reject) => {
    xhr.open('PUT', `/api/admin/videos/${encodeURIComponent(name)}`);
    xhr.setRequestHeader('authorization', `Bearer ${token}`);
    xhr.setRequestHeader('accept', 'application/json');
    // never JSON: the API would read a JSON body itself; the server probes the bytes, the type is only a hint
    xhr.setRequestHeader('content-type', file.type && file.type !== 'application/json' ? file.type : 'application/octet-stream');
    xhr.upload.onprogress = (e) => onProgress({ loaded: e.loaded, total: e.lengthComputable ? e.total : file.size });
    xhr.upload.onload = () => onSent();
    xhr.onload = () => {
      const body = parseJson(xhr.responseText);
      if (xhr.status === 201 && body && typeof body === 'object' && 'video' in body) {
        resolve((body as VideoResponse).video);
        return;
      }
      reject(toApiError(xhr.status, body));
    };
    // the server may refuse early (413, 409) and close while the body is still going out: the browser then reports
    // a network error without the answer, which is all we can show
    xhr.onerror = () => reject(new ApiError(0, 'network_error', 'The connection to the server broke.', null));
    xhr.onabort = () => reject(new ApiError(0, 'aborted', 'The upload was cancelled.', null));
    xhr.send(file);
  });
  return { done, abort: () => xhr.abort() };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null; // not JSON (a proxy's error page): the status alone is reported
  }
}

function toApiError(status: number, body: unknown): ApiError {
  const error = (body as ApiErrorBody | null)?.error;
  return new ApiError(status, error?.code ?? `http_${status}`, error?.message ?? `The server answered ${status}.`,
    error ? (body as ApiErrorBody) : null);
}

// @ts-check
// The shape both servers under test share, so every workload runs the same code against wxlive and nginx-rtmp.
'use strict';

/**
 * @typedef {object} Target
 * @property {string} name
 * @property {number} pid                  root of the process tree whose CPU and RSS are measured
 * @property {string} hlsRoot              where the server writes HLS (watched for segment → playlist latency)
 * @property {(file: string) => boolean} isPlaylist  a live playlist file name
 * @property {(file: string) => boolean} isSegment   a segment file name
 * @property {(i: number) => Promise<{ publishUrl: string, play: { flv?: string, rtmp?: string, hls?: string } }>} addStream
 * @property {() => boolean} alive
 * @property {() => string} diagnostics    last lines the server printed, for error messages
 * @property {() => Promise<void>} stop
 * @property {(senders: number) => Promise<{ url: string, tokens: string[] }>} [chatRoom]  wxlive's room socket, for (f)
 * @property {() => Promise<string>} [vodUrl]  the RTMP VOD URL of the library file the target was started with, for (g)
 */

module.exports = {};

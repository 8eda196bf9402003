// The zod response schemas of the OpenAPI document and the typings/ types the clients import say the same thing.
// The check is tsc's (`npm run typecheck`): a field added, dropped or retyped on one side only fails to compile.
import type { z } from 'zod';
import type * as Api from '../../typings/api';
import type * as Chat from '../../typings/chat';
import type * as Cohost from '../../typings/cohost';
import type * as Vod from '../../typings/vod';
import * as S from '../../server/api/response-schemas';

/** true only when A and B are mutually assignable in every position (the usual exact-equality trick) */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false;
type Same<Schema extends z.ZodType, T> = Equal<z.output<Schema>, T>;

/** compiles only when every entry is `true` */
type AllTrue<T extends Record<string, true>> = T;

export type ResponseSchemasMatchTypings = AllTrue<{
  room: Same<typeof S.room, Api.Room>;
  pushTicket: Same<typeof S.pushTicket, Api.PushTicket>;
  playUrls: Same<typeof S.playUrls, Api.PlayUrls>;
  apiErrorBody: Same<typeof S.apiErrorBody, Api.ApiErrorBody>;
  user: Same<typeof S.user, Api.User>;
  loginResponse: Same<typeof S.loginResponse, Api.LoginResponse>;
  createRoomResponse: Same<typeof S.createRoomResponse, Api.CreateRoomResponse>;
  roomResponse: Same<typeof S.roomResponse, Api.RoomResponse>;
  roomListResponse: Same<typeof S.roomListResponse, Api.RoomListResponse>;
  pushResponse: Same<typeof S.pushResponse, Api.PushResponse>;
  playResponse: Same<typeof S.playResponse, Api.PlayResponse>;
  healthResponse: Same<typeof S.healthResponse, Api.HealthResponse>;
  streamStats: Same<typeof S.streamStats, Api.StreamStats>;
  adminRoom: Same<typeof S.adminRoom, Api.AdminRoom>;
  adminRoomListResponse: Same<typeof S.adminRoomListResponse, Api.AdminRoomListResponse>;
  adminStatsResponse: Same<typeof S.adminStatsResponse, Api.AdminStatsResponse>;
  serverHistory: Same<typeof S.serverHistory, Api.ServerHistory>;
  streamHistory: Same<typeof S.streamHistory, Api.StreamHistory>;
  statsHistoryResponse: Same<typeof S.statsHistoryResponse, Api.StatsHistoryResponse>;
  chatUser: Same<typeof S.chatUser, Chat.ChatUser>;
  chatMessage: Same<typeof S.chatMessage, Chat.ChatMessage>;
  messagePageResponse: Same<typeof S.messagePageResponse, Chat.MessagePageResponse>;
  muteResponse: Same<typeof S.muteResponse, Chat.MuteResponse>;
  banResponse: Same<typeof S.banResponse, Chat.BanResponse>;
  chatSettingsResponse: Same<typeof S.chatSettingsResponse, Chat.ChatSettingsResponse>;
  deletedMessageResponse: Same<typeof S.deletedMessageResponse, Chat.DeletedMessageResponse>;
  userBan: Same<typeof S.userBan, Chat.UserBan>;
  userBanResponse: Same<typeof S.userBanResponse, Chat.UserBanResponse>;
  userUnbanResponse: Same<typeof S.userUnbanResponse, Chat.UserUnbanResponse>;
  bannedUsersResponse: Same<typeof S.bannedUsersResponse, Chat.BannedUsersResponse>;
  meResponse: Same<typeof S.meResponse, Chat.MeResponse>;
  webhookDelivery: Same<typeof S.webhookDelivery, Api.WebhookDelivery>;
  webhookDeliveriesResponse: Same<typeof S.webhookDeliveriesResponse, Api.WebhookDeliveriesResponse>;
  cohostsResponse: Same<typeof S.cohostsResponse, Cohost.CohostsResponse>;
  cohostPushResponse: Same<typeof S.cohostPushResponse, Cohost.CohostPushResponse>;
  video: Same<typeof S.video, Vod.Video>;
  videoListResponse: Same<typeof S.videoListResponse, Vod.VideoListResponse>;
  videoResponse: Same<typeof S.videoResponse, Vod.VideoResponse>;
  videoPlayResponse: Same<typeof S.videoPlayResponse, Vod.VideoPlayResponse>;
  replay: Same<typeof S.replay, Vod.Replay>;
  replayListResponse: Same<typeof S.replayListResponse, Vod.ReplayListResponse>;
  replayResponse: Same<typeof S.replayResponse, Vod.ReplayResponse>;
}>;

// the checker itself: a mismatch must come out false (else every line above would pass vacuously)
export type CheckerCatches = AllTrue<{
  extraField: Equal<Equal<{ a: string }, { a: string; b: number }>, false>;
  optionalVsRequired: Equal<Equal<{ a?: string }, { a: string }>, false>;
  nullable: Equal<Equal<{ a: string | null }, { a: string }>, false>;
}>;

test('every response component is checked against its typings type', () => {
  // the runtime half: no component of the document escapes the compile-time list above
  const checked: Record<keyof ResponseSchemasMatchTypings, unknown> = {
    room: S.room, pushTicket: S.pushTicket, playUrls: S.playUrls, apiErrorBody: S.apiErrorBody, user: S.user,
    loginResponse: S.loginResponse, createRoomResponse: S.createRoomResponse, roomResponse: S.roomResponse,
    roomListResponse: S.roomListResponse, pushResponse: S.pushResponse, playResponse: S.playResponse,
    healthResponse: S.healthResponse, streamStats: S.streamStats, adminRoom: S.adminRoom,
    adminRoomListResponse: S.adminRoomListResponse, adminStatsResponse: S.adminStatsResponse,
    serverHistory: S.serverHistory, streamHistory: S.streamHistory, statsHistoryResponse: S.statsHistoryResponse,
    chatUser: S.chatUser, chatMessage: S.chatMessage, messagePageResponse: S.messagePageResponse,
    muteResponse: S.muteResponse, banResponse: S.banResponse, chatSettingsResponse: S.chatSettingsResponse,
    deletedMessageResponse: S.deletedMessageResponse, userBan: S.userBan, userBanResponse: S.userBanResponse,
    userUnbanResponse: S.userUnbanResponse, bannedUsersResponse: S.bannedUsersResponse, meResponse: S.meResponse,
    webhookDelivery: S.webhookDelivery, webhookDeliveriesResponse: S.webhookDeliveriesResponse,
    cohostsResponse: S.cohostsResponse, cohostPushResponse: S.cohostPushResponse,
    video: S.video, videoListResponse: S.videoListResponse, videoResponse: S.videoResponse, videoPlayResponse: S.videoPlayResponse,
    replay: S.replay, replayListResponse: S.replayListResponse, replayResponse: S.replayResponse,
  };
  expect(new Set(Object.values(S.RESPONSE_COMPONENTS))).toEqual(new Set(Object.values(checked)));
});

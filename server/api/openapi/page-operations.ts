// The pages and service documents the server mounts next to the API (operations.ts lists them with it).
import { z } from 'zod';
import { roomIdParam } from '../schemas';
import { failure, type ApiOperation } from './operation';

const PAGE = (description: string) => ({ description, media: 'text/html' });

export const PAGE_OPERATIONS: ApiOperation[] = [
  {
    method: 'get', path: '/', tag: 'pages', access: 'anyone', summary: 'Front page: live rooms and recent replays',
    responses: { 200: PAGE('The front page (zh-CN, or en by the browser\'s language)'), 304: { description: 'Not modified' } },
  },
  {
    method: 'get', path: '/watch/:roomId', tag: 'pages', access: 'anyone', summary: 'H5 watch page',
    params: { roomId: roomIdParam }, responses: { 200: PAGE('The watch page'), 304: { description: 'Not modified' }, 404: failure('room_not_found') },
  },
  {
    method: 'get', path: '/videos', tag: 'pages', access: 'anyone', summary: 'H5 videos page: the library, or a room\'s replays with ?room=<roomId>',
    responses: { 200: PAGE('The videos page'), 304: { description: 'Not modified' } },
  },
  {
    method: 'get', path: '/admin', tag: 'pages', access: 'anyone', summary: 'Admin console (asks for the admin token)',
    responses: { 200: PAGE('The admin console'), 304: { description: 'Not modified' } },
  },
  {
    method: 'get', path: '/assets/:name', tag: 'pages', access: 'anyone', summary: 'Content-hashed page assets',
    params: { name: z.string() },
    responses: { 200: { description: 'A script, style sheet or source map', media: '*/*' }, 304: { description: 'Not modified' }, 404: failure('not_found') },
  },
  {
    method: 'get', path: '/crossdomain.xml', tag: 'pages', access: 'anyone', summary: 'Flash cross-domain policy',
    responses: { 200: { description: 'The policy', media: 'text/x-cross-domain-policy' } },
  },
  {
    method: 'get', path: '/api/openapi.json', tag: 'service', access: 'anyone', summary: 'This document (OpenAPI 3.1)',
    responses: { 200: { description: 'The OpenAPI document', media: 'application/json' } },
  },
  {
    method: 'get', path: '/api/docs', tag: 'service', access: 'anyone', summary: 'The API reference page',
    responses: { 200: PAGE('Scalar API reference of this document') },
  },
  {
    method: 'get', path: '/api/docs/:file', tag: 'service', access: 'anyone', summary: 'The reference page\'s scripts',
    params: { file: z.string() },
    responses: { 200: { description: 'A script', media: 'text/javascript' }, 304: { description: 'Not modified' }, 404: failure('not_found') },
  },
];

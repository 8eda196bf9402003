// The room lifecycle of design.md §6 as an explicit state machine: idle → live → ended, idle → ended.
import type { RoomStatus } from '../../typings/api';
import { IllegalTransition } from '../errors';

const NEXT: Record<RoomStatus, readonly RoomStatus[]> = {
  idle: ['live', 'ended'],
  live: ['ended'],
  ended: [],
};

/** The states a room may be in for a move to `to`. */
export function sourcesOf(to: RoomStatus): RoomStatus[] {
  return (Object.keys(NEXT) as RoomStatus[]).filter((from) => NEXT[from].includes(to));
}

export function canTransition(from: RoomStatus, to: RoomStatus): boolean {
  return NEXT[from].includes(to);
}

export function refuseTransition(id: string, from: RoomStatus, to: RoomStatus): IllegalTransition {
  if (from === 'ended') {
    return new IllegalTransition('room_ended', `Room "${id}" has ended; it cannot become ${to}.`);
  }
  return new IllegalTransition('illegal_transition', `Room "${id}" cannot go from ${from} to ${to}.`);
}

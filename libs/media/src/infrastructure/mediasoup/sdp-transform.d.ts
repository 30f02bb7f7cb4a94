/**
 * The part of sdp-transform (which ships no typings; @types/sdp-transform is not installed) that
 * the mediasoup SDP bridge uses. mediasoup-client's SDP helpers name these same two types.
 */
declare module 'sdp-transform' {
  export interface MediaDescription {
    type: string;
    port: number;
    protocol: string;
    payloads?: string;
    mid?: string | number;
    direction?: 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';
    setup?: string;
    rtp: { payload: number; codec: string; rate?: number; encoding?: number }[];
    fmtp: { payload: number; config: string }[];
    ext?: { value: number; uri: string; direction?: string }[];
    ssrcs?: { id: number | string; attribute: string; value?: string }[];
    ssrcGroups?: { semantics: string; ssrcs: string }[];
    rids?: { id: string | number; direction: string; params?: string }[];
    simulcast?: { dir1: string; list1: string };
    bandwidth?: { type: string; limit: number | string }[];
    fingerprint?: { type: string; hash: string };
    [key: string]: unknown;
  }
  export interface SessionDescription {
    version?: number;
    media: MediaDescription[];
    fingerprint?: { type: string; hash: string };
    setup?: string;
    groups?: { type: string; mids: string }[];
    extmapAllowMixed?: string;
    [key: string]: unknown;
  }
  export function parse(sdp: string): SessionDescription;
  export function write(session: SessionDescription): string;
}

import type { Tx } from '@parley/platform';

/**
 * The transaction a caller of Auth's use cases hands in: a `Tx`, or — while another context still
 * passes the ORM's manager — that manager, which is the same object at run time (a `Tx` is an
 * opaque view of it). Described by shape so that application code names no ORM type; the second
 * branch goes once every caller passes a `Tx`.
 */
export type TxLike = Tx | { readonly connection: unknown };

/** What the stores take: the same object, seen as the opaque `Tx`. */
export const asTx = (tx: TxLike): Tx => tx as Tx;

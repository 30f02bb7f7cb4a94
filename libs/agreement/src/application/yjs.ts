/*
 * Yjs, y-protocols and lib0 ship CommonJS builds for `require` but only ESM type declarations,
 * which TypeScript's node16 resolution refuses to import from a CommonJS module. The types are
 * taken in import mode, the code through require: the same modules Node loads.
 */
import type * as YjsModule from 'yjs' with { 'resolution-mode': 'import' };
import type * as SyncModule from 'y-protocols/sync' with { 'resolution-mode': 'import' };
import type * as EncodingModule from 'lib0/encoding' with { 'resolution-mode': 'import' };
import type * as DecodingModule from 'lib0/decoding' with { 'resolution-mode': 'import' };

/* eslint-disable @typescript-eslint/no-require-imports */
export const Y = require('yjs') as typeof YjsModule;
export const sync = require('y-protocols/sync') as typeof SyncModule;
export const encoding = require('lib0/encoding') as typeof EncodingModule;
export const decoding = require('lib0/decoding') as typeof DecodingModule;
export type YDoc = YjsModule.Doc;

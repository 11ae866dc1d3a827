// jsdom lacks a few globals React Router and the app use.
import { TextDecoder, TextEncoder } from 'node:util';

Object.assign(globalThis, { TextEncoder, TextDecoder });
// React 19 warns unless tests declare they run inside act().
Object.assign(globalThis, { IS_REACT_ACT_ENVIRONMENT: true });

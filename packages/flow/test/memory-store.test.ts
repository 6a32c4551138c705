import { describe, it } from 'vitest';
import { createMemoryStateStore } from '@hmi/flow';
import { runStateStoreConformance } from '@hmi/flow/testing';

runStateStoreConformance('memory', { create: (now) => createMemoryStateStore({ now }), test: it, describe });

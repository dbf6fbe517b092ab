// The providers this build offers, one per protection kind.

import type { ProviderRegistry } from './provider.js';
import { cryptProvider } from './crypt.js';
import { hsmProvider } from './hsm.js';
import { scanProvider } from './scan.js';

export const defaultProviders: ProviderRegistry = { crypt: cryptProvider, scan: scanProvider, hsm: hsmProvider };

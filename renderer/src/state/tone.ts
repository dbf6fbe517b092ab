// How good or bad a state is, for badges: shown by a word, a shape and a colour together.
export type Tone = 'good' | 'warn' | 'bad' | 'neutral';

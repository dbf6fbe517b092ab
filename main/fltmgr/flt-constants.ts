// Filter Manager return codes and flags (values follow fltKernel.h).

/** Pre-operation results. */
export const FLT_PREOP_SUCCESS_WITH_CALLBACK = 0;
export const FLT_PREOP_SUCCESS_NO_CALLBACK = 1;
export const FLT_PREOP_PENDING = 2;
export const FLT_PREOP_DISALLOW_FASTIO = 3;
export const FLT_PREOP_COMPLETE = 4;
export const FLT_PREOP_SYNCHRONIZE = 5;
export type FltPreopStatus = 0 | 1 | 2 | 3 | 4 | 5;

/** Post-operation results. */
export const FLT_POSTOP_FINISHED_PROCESSING = 0;
export const FLT_POSTOP_MORE_PROCESSING_REQUIRED = 1;
export type FltPostopStatus = 0 | 1;

/** Post-operation flags. */
export const FLTFL_POST_OPERATION_DRAINING = 0x1;

/** Why an instance is being torn down. */
export const FLTFL_INSTANCE_TEARDOWN_MANUAL = 0x1;
export const FLTFL_INSTANCE_TEARDOWN_FILTER_UNLOAD = 0x2;
export const FLTFL_INSTANCE_TEARDOWN_VOLUME_DISMOUNT = 0x8;

/** FltSetXxxContext operations. */
export const FLT_SET_CONTEXT_REPLACE_IF_EXISTS = 1;
export const FLT_SET_CONTEXT_KEEP_IF_EXISTS = 2;

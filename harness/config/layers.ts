/**
 * The gate's layers, in the order they run. A module of its own, without the config
 * schema's imports (TypeBox, the actuators): the CLI names them in `gate --help` and
 * `--layers`, and every `shipgate` start registers that command.
 */
export const LAYER_NAMES = ['contracts', 'replay', 'scenarios', 'canary'] as const;
export type GateLayer = (typeof LAYER_NAMES)[number];

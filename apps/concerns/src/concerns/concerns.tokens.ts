/** The due policy the service was configured with (ConcernsConfig.duePolicy). */
export const DUE_POLICY = Symbol('DUE_POLICY');

// Imported first by the kit's index, so tracing (when configured) starts before the modules it instruments load.
import { startTracing } from './tracing';

startTracing();

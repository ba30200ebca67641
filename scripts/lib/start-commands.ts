import { SUBGRAPHS } from '@medcollab/kit';

export interface StartCommand {
  name: string;
  command: string;
  env: NodeJS.ProcessEnv;
}

/**
 * The processes `pnpm start` runs, each with the same environment (so OTEL_EXPORTER_OTLP_ENDPOINT,
 * DATABASE_URL and the rest reach every one of them): every subgraph and its worker, the gateway,
 * and a local mail catcher for the notifications worker's emails.
 */
export function startCommands(env: NodeJS.ProcessEnv): StartCommand[] {
  const tsx = 'node --import tsx';
  return [
    ...SUBGRAPHS.flatMap(({ name }) => [
      { name, command: `${tsx} services/${name}/src/index.ts`, env },
      { name: `${name}-worker`, command: `${tsx} services/${name}/src/worker.ts`, env },
    ]),
    { name: 'gateway', command: `${tsx} gateway/src/index.ts`, env },
    // Catches the notifications worker's emails (its SMTP_URL defaults to smtp://127.0.0.1:1025).
    { name: 'mail', command: `${tsx} scripts/mail-catcher.ts`, env },
  ];
}

/** Another server, by host: what it runs, whether an administrator blocked or silenced it, how deliveries fare. */
export type Peer = {
  domain: string;
  software: string | null;
  softwareVersion: string | null;
  nodeName: string | null;
  blocked: boolean;
  silenced: boolean;
  failingSince: Date | null;
  lastFailure: string | null;
  failedDeliveries: number;
};

export {
  type BrokerClient,
  BrokerError,
  type CanIDeployAnswer,
  createBrokerClient,
  type PublishRequest,
} from './client.ts';
export { type BrokerConfig, brokerFromEnv, describeBroker } from './config.ts';

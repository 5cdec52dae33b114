/**
 * Test helper: signed clients of the unchanged `kalshi-typescript` SDK for one
 * simulator key. Every API object gets its own axios instance, because each
 * `new XxxApi(config)` adds a signing interceptor to the axios it is given
 * (the global one by default) and the first one added would sign for everyone.
 */
import axios, { AxiosError } from "axios";
import { Configuration, OrderGroupsApi, OrdersApi, PortfolioApi } from "kalshi-typescript";

export interface SdkClients {
  portfolio: PortfolioApi;
  orders: OrdersApi;
  orderGroups: OrderGroupsApi;
}

/** SDK clients that sign with `key` against `restBaseUrl`. */
export function sdkClients(
  restBaseUrl: string,
  key: { apiKeyId: string; privateKeyPem: string },
): SdkClients {
  const configuration = new Configuration({
    basePath: restBaseUrl,
    apiKey: key.apiKeyId,
    privateKeyPem: key.privateKeyPem,
  });
  return {
    portfolio: new PortfolioApi(configuration, undefined, axios.create()),
    orders: new OrdersApi(configuration, undefined, axios.create()),
    orderGroups: new OrderGroupsApi(configuration, undefined, axios.create()),
  };
}

/** The HTTP status and error body of a rejected SDK call; throws when the call succeeded. */
export async function sdkRejection(
  call: Promise<unknown>,
): Promise<{ status: number; body: Record<string, unknown> }> {
  try {
    await call;
  } catch (error) {
    if (error instanceof AxiosError && error.response) {
      return {
        status: error.response.status,
        body: error.response.data as Record<string, unknown>,
      };
    }
    throw error;
  }
  throw new Error("expected the SDK call to be rejected, but it succeeded");
}

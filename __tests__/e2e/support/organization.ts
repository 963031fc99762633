import { CreateAccountCommand, CreateOrganizationCommand, OrganizationsClient } from "@aws-sdk/client-organizations";
import { EMULATOR_KEYS, Emulator } from "./emulator";

export interface EmulatedOrganization {
  readonly id: string;
  /** Accounts created in it besides the management account, which the emulator numbers itself. */
  readonly accounts: readonly { readonly id: string; readonly name: string }[];
}

/**
 * An organization in the emulator, created with the suite's own keys, whose account the
 * emulator makes the management account (as `org-sync` with "your own credentials" expects),
 * and two member accounts that accounts.ts does not name. The emulator picks the IDs.
 */
export async function createOrganization(emulator: Emulator, names: readonly string[]): Promise<EmulatedOrganization> {
  const client = new OrganizationsClient({
    region: "us-east-1",
    endpoint: emulator.url,
    credentials: EMULATOR_KEYS,
  });
  const organization = await client.send(new CreateOrganizationCommand({ FeatureSet: "ALL" }));
  const accounts = [];
  for (const name of names) {
    const status = await client.send(new CreateAccountCommand({ AccountName: name, Email: `${name}@example.com` }));
    accounts.push({ id: status.CreateAccountStatus!.AccountId!, name });
  }
  return { id: organization.Organization!.Id!, accounts };
}

/** A global setup that plans nothing: for a nested run of the tests that never read the offline plans (user-edits.test.ts). */
export default async function noPlans(): Promise<void> {}

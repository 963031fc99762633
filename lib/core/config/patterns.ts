/** Shapes of the identifiers accounts.ts holds, shared by the checks in lib/core/config/checks/. */
export const ACCOUNT_ID = /^\d{12}$/;
export const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/;
export const KEY_ALIAS = /^alias\/[a-zA-Z0-9/_-]{1,250}$/;
export const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
export const RULE_ID = /^[A-Za-z0-9_-]{1,255}$/;
export const KEY_ARN = /^arn:aws:kms:[a-z0-9-]+:\d{12}:key\/[a-f0-9-]{36}$|^arn:aws:kms:[a-z0-9-]+:\d{12}:key\/mrk-[a-f0-9]{32}$/;
export const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export const ROLE_ARN = /^arn:aws:iam::\d{12}:role\/[\w+=,.@/-]+$/;
/** A role ARN for an ArnLike condition: `*` allowed in the name. */
export const ROLE_ARN_PATTERN = /^arn:aws:iam::\d{12}:role\/[\w+=,.@/*-]+$/;
export const GITHUB_REPOSITORY = /^[A-Za-z0-9][A-Za-z0-9-]{0,38}\/[A-Za-z0-9._-]{1,100}$/;
/** No ':' (it separates the parts of an OIDC subject), no wildcards. */
export const GITHUB_ENVIRONMENT = /^[A-Za-z0-9._-]{1,255}$/;
export const ORGANIZATION_TARGET = /^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/;
/** What AWS accepts as a tag value (the Tagging API's documented character set). */
export const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,256}$/u;

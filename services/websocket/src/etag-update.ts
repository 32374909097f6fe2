// Moved to @todo/common (chat-api's sign-in throttle uses it too); kept so this package's imports read the same.
export { updateWithEtag, type EtagChange, type EtagUpdateOptions } from "@todo/common";

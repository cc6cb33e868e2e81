/** Replaces `{region}` (the config's templating) in a probe target. */
export const forRegionTemplate = (template: string, region: string): string => template.replaceAll("{region}", region);

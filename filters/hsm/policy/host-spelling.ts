// The path a policy glob is matched against: folder-relative, '/'-separated, each name as the host spells
// it. A volume may list a host name under another spelling (the local volume maps characters NT forbids,
// ':' and the like, into the Private Use Area), but users write globs for the names they see on the host.
// Only the volume's owner knows its mapping, and filters do not import volumes: whoever registers the
// filter hands the decoder in.

/** The host's spelling of one name as the volume lists it ('Q3' U+F03A ' a.txt' → 'Q3: a.txt'). */
export type HostNameDecoder = (volumeName: string) => string;

/** '\dir\a' U+F03A 'b' → 'dir/a:b' (without a decoder: 'dir/a' U+F03A 'b'). */
export function globPathOf(volumePath: string, hostNameOf?: HostNameDecoder): string {
  const names = volumePath.split('\\').filter((name) => name !== '');
  return (hostNameOf === undefined ? names : names.map(hostNameOf)).join('/');
}

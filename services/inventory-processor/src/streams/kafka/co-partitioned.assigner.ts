import { AssignerProtocol, type PartitionAssigner } from 'kafkajs';

/**
 * Assigns partition p of EVERY input topic to the same member, so a product's updates and its orders
 * meet one task and one state (kafkajs' RoundRobinAssigner spreads topic-partitions independently and
 * would split them). Sticky: a member keeps the partitions it reports owning (in its subscription's
 * userData) up to its fair share, so a rebalance moves as little state as possible.
 */
export function planAssignment(
  memberIds: readonly string[],
  partitionCount: number,
  owned: ReadonlyMap<string, readonly number[]>,
): Map<string, number[]> {
  const members = [...memberIds].sort();
  const plan = new Map<string, number[]>(members.map((m) => [m, []]));
  if (members.length === 0) return plan;
  const base = Math.floor(partitionCount / members.length);
  let withExtra = partitionCount % members.length; // this many members may take base + 1
  const taken = new Set<number>();
  const quota = (m: string) => base + (plan.get(m)!.length >= base && withExtra > 0 ? 1 : 0);
  for (const m of members) {
    for (const p of [...(owned.get(m) ?? [])].sort((a, b) => a - b)) {
      if (p >= partitionCount || taken.has(p)) continue;
      const mine = plan.get(m)!;
      if (mine.length >= quota(m)) break;
      if (mine.length === base) withExtra--;
      mine.push(p);
      taken.add(p);
    }
  }
  for (let p = 0; p < partitionCount; p++) {
    if (taken.has(p)) continue;
    const m = members.reduce((best, cur) => (plan.get(cur)!.length < plan.get(best)!.length ? cur : best));
    plan.get(m)!.push(p);
  }
  for (const list of plan.values()) list.sort((a, b) => a - b);
  return plan;
}

export function coPartitionedAssigner(ownedPartitions: () => number[]): PartitionAssigner {
  return ({ cluster }) => ({
    name: 'CoPartitionedStickyAssigner',
    version: 1,
    async assign({ members, topics }) {
      const counts = topics.map((t) => cluster.findTopicPartitionMetadata(t).length);
      const partitionCount = Math.min(...counts);
      const owned = new Map<string, number[]>();
      for (const member of members) {
        try {
          const meta = AssignerProtocol.MemberMetadata.decode(member.memberMetadata);
          owned.set(
            member.memberId,
            meta?.userData?.length ? (JSON.parse(meta.userData.toString()) as number[]) : [],
          );
        } catch {
          owned.set(member.memberId, []);
        }
      }
      const plan = planAssignment(
        members.map((m) => m.memberId),
        partitionCount,
        owned,
      );
      return [...plan].map(([memberId, partitions]) => ({
        memberId,
        memberAssignment: AssignerProtocol.MemberAssignment.encode({
          version: 1,
          assignment: Object.fromEntries(topics.map((t) => [t, partitions])),
          userData: Buffer.alloc(0),
        }),
      }));
    },
    protocol({ topics }) {
      return {
        name: 'CoPartitionedStickyAssigner',
        metadata: AssignerProtocol.MemberMetadata.encode({
          version: 1,
          topics,
          userData: Buffer.from(JSON.stringify(ownedPartitions())),
        }),
      };
    },
  });
}

/**
 * Sub-covenants inherit every national commitment and add their own. Inheritance only adds: a sub-covenant
 * cannot remove, replace or weaken a national commitment, so its own commitments sit alongside them even
 * when they cover the same ground.
 */

export interface InheritableCommitment {
  id: string;
  code: string;
}

export type WithOrigin<C> = C & { inherited: boolean };

/** National commitments first (marked inherited), then the sub-covenant's own, each list in its own order. */
export function commitmentsWithInheritance<C extends InheritableCommitment>(
  national: readonly C[],
  own: readonly C[],
): WithOrigin<C>[] {
  return [
    ...national.map((c) => ({ ...c, inherited: true })),
    ...own.map((c) => ({ ...c, inherited: false })),
  ];
}

// The saves of a volume's streams under way, by name, from the last cleanup's start to the end of its
// rename. A new open of a file being saved waits for the save (its pre-create is pended): opened in the
// middle, it would hold the file open below (the save's rename over it is then refused), or write into a
// stream whose save already took its snapshot.

export class SavesInProgress {
  private readonly saves = new Map<string, Promise<void>>();

  /** Marks `name` as being saved until the returned function is called. */
  begin(name: string): () => void {
    let end!: () => void;
    const done = new Promise<void>((resolve) => (end = resolve));
    this.saves.set(name, done);
    return () => {
      if (this.saves.get(name) === done) this.saves.delete(name);
      end();
    };
  }

  /** Settles when the save of `name` under way (if any) is over; null when none is. */
  of(name: string): Promise<void> | null {
    return this.saves.get(name) ?? null;
  }
}

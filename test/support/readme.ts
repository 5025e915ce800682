/**
 * The README's shell examples as tests run them: the commands of ```sh blocks, blank lines and trailing
 * `# comments` dropped.
 */
export function shellCommands(text: string, options: { all?: boolean } = {}): string[] {
  const blocks = [...text.matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1]!);
  return (options.all ? blocks : blocks.slice(0, 1)).flatMap((block) =>
    block
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => line.replace(/\s+#.*$/, '').trim()),
  );
}

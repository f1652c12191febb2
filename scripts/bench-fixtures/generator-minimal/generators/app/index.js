// The comparison generator for the bench's "Yeoman door" goal: the least a Yeoman generator that commits can do
// (one file written through mem-fs in writing(), committed with `git add` + `git commit` in end()), run through
// the same driver as ours.
import { spawnSync } from 'node:child_process';
import Generator from 'yeoman-generator';

export default class MinimalGenerator extends Generator {
  writing() {
    this.fs.write(this.destinationPath('hello.txt'), 'hello\n');
  }

  end() {
    const cwd = this.destinationRoot();
    for (const args of [['add', '--', 'hello.txt'], ['commit', '-q', '-m', 'add hello.txt']]) {
      const r = spawnSync('git', args, { cwd, stdio: ['ignore', 'ignore', 'inherit'] });
      if (r.status !== 0) throw new Error(`git ${args[0]} exited ${r.status}`);
    }
  }
}

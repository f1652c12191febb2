// The comparison generator for the bench's "Yeoman door" goal: the least a Yeoman generator can do
// (one file written through mem-fs in writing()), run through the same driver as ours.
import Generator from 'yeoman-generator';

export default class MinimalGenerator extends Generator {
  writing() {
    this.fs.write(this.destinationPath('hello.txt'), 'hello\n');
  }
}

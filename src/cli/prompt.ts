/** Interactive prompts for the bin (only loaded with a TTY): one question per setting, prefilled. */
import { input, select } from '@inquirer/prompts';
import type { Question } from '../core/run.js';
import type { SettingKey } from '../core/settings.js';

export async function ask(questions: Question[]): Promise<Partial<Record<SettingKey, string>>> {
  const answers: Partial<Record<SettingKey, string>> = {};
  for (const q of questions) {
    answers[q.key] = q.choices
      ? await select({ message: q.message, default: q.default, choices: q.choices.map((c) => ({ value: c, name: c })) })
      : await input({ message: q.message, default: q.default, validate: q.validate });
  }
  return answers;
}

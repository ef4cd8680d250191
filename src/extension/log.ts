/**
 * The "Centroid" output channel: details (stacks, timings, ignored messages) go here;
 * users see one sentence in a notification, with a button to open the details.
 */
import * as vscode from 'vscode';
import { showError } from './notify';

export class Log implements vscode.Disposable {
  private readonly channel = vscode.window.createOutputChannel('Centroid');

  info(line: string): void {
    this.channel.appendLine(`[${new Date().toISOString()}] ${line}`);
  }

  /** Logs `detail` and shows `message` (one sentence) as an error notification. */
  error(message: string, detail?: string): void {
    this.info(`error: ${message}`);
    if (detail) this.channel.appendLine(detail);
    void showError(message, 'Show Details').then((pick) => {
      if (pick === 'Show Details') this.channel.show(true);
    });
  }

  show(): void {
    this.channel.show(true);
  }

  dispose(): void {
    this.channel.dispose();
  }
}

/** One sentence from anything thrown: the first line of its message, never a stack. */
export function sentence(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  const first = text.split('\n')[0].trim();
  return first === '' ? 'Something went wrong' : first;
}

/**
 * Asks the question a file of distances raised (see distanceChoiceText.ts) in a Quick Pick
 * whose first item is the default, so Enter takes it.
 */
import * as vscode from 'vscode';
import type { DistanceChoice, RunSettings } from '../protocol/messages';
import { choiceQuestion, withAnswer, type ChoiceItem } from './distanceChoiceText';

interface Item extends vscode.QuickPickItem {
  answer: ChoiceItem['answer'];
}

/** Resolves to the settings with the user's answer, or undefined for Stop or Escape. */
export async function askDistanceChoice(fileName: string, choice: DistanceChoice, settings: RunSettings): Promise<RunSettings | undefined> {
  const question = choiceQuestion(fileName, choice);
  const items: Item[] = question.items.map((i) => ({ label: i.label, description: i.description, detail: i.detail, answer: i.answer }));
  const pick = await vscode.window.showQuickPick(items, {
    title: question.title,
    placeHolder: question.placeholder,
    ignoreFocusOut: true,
  });
  if (!pick || pick.answer === null) return undefined;
  return withAnswer(settings, pick.answer);
}

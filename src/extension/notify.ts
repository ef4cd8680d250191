/**
 * The only place that shows notifications: every message goes through notificationText, so
 * text from a CSV (column, class and file names) cannot become a link. Buttons are our own
 * fixed labels. A unit test checks no other file calls window.show*Message.
 */
import * as vscode from 'vscode';
import { notificationText } from './notificationText';

export function showInformation(message: string, ...items: string[]): Thenable<string | undefined> {
  return vscode.window.showInformationMessage(notificationText(message), ...items);
}

export function showWarning(message: string, ...items: string[]): Thenable<string | undefined> {
  return vscode.window.showWarningMessage(notificationText(message), ...items);
}

export function showError(message: string, ...items: string[]): Thenable<string | undefined> {
  return vscode.window.showErrorMessage(notificationText(message), ...items);
}

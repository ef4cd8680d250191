/**
 * The words of the questions a file of distances can raise (distances or similarities;
 * what to do with missing pairs) and the settings each answer gives. Pure: the vscode layer
 * (distanceChoice.ts) shows them as a Quick Pick whose first item is the default, so Enter
 * takes it.
 */
import { DEFAULT_DISTANCE_SETTINGS, type DistanceChoice, type DistanceSettings, type RunSettings } from '../protocol/messages';
import { formatCount } from '../protocol/format';

export interface ChoiceItem {
  label: string;
  description?: string;
  detail: string;
  /** The settings with this answer, or null to stop. */
  answer: Partial<DistanceSettings> | null;
}

export interface ChoiceQuestion {
  title: string;
  placeholder: string;
  /** The default first. */
  items: ChoiceItem[];
}

/** The question for `choice` about file `fileName`, its suggested answer first. */
export function choiceQuestion(fileName: string, choice: DistanceChoice): ChoiceQuestion {
  if (choice.kind === 'similarity') {
    const distance: ChoiceItem = {
      label: 'Distances',
      description: 'smaller = closer',
      detail: 'Use the numbers as they are: 0 means the same item.',
      answer: { similarity: 'distance' },
    };
    const similarity: ChoiceItem = {
      label: 'Similarities',
      description: 'larger = closer',
      detail: 'Convert each to a distance with the rule d = max(s) − s, where max(s) is the largest value in the file.',
      answer: { similarity: 'similarity' },
    };
    const suggested = choice.suggested === 'similarity' ? similarity : distance;
    suggested.description = `${suggested.description ?? ''} · suggested`;
    return {
      title: `Centroid: distances or similarities in ${fileName}?`,
      placeholder: `${capitalise(choice.reason)}. Which are they? (Remembered for this file.)`,
      items: choice.suggested === 'similarity' ? [similarity, distance] : [distance, similarity],
    };
  }
  const missing = formatCount(choice.missingPairs);
  const total = formatCount(choice.totalPairs);
  return {
    title: `Centroid: ${missing} missing pair${choice.missingPairs === 1 ? '' : 's'} in ${fileName}`,
    placeholder: `${missing} of ${total} pairs of items have no distance (for example ${JSON.stringify(choice.example[0])} and `
      + `${JSON.stringify(choice.example[1])}). Fill them with shortest paths, or stop?`,
    items: [
      {
        label: 'Use shortest-path distances',
        description: 'remembered for this file',
        detail: `Give each of the ${missing} missing pairs the length of the shortest path through the pairs the file gives.`,
        answer: { missing: 'shortest-path' },
      },
      {
        label: 'Stop',
        detail: 'Cluster nothing now; give every pair a distance in the file first.',
        answer: null,
      },
    ],
  };
}

/**
 * The one sentence when a question went unanswered (Escape, or Stop): for distances or
 * similarities, what is needed and how to answer; for missing pairs, `failure` (the worker's
 * sentence, which names how many pairs are missing).
 */
export function unansweredMessage(fileName: string, choice: DistanceChoice, failure: string): string {
  if (choice.kind === 'similarity') {
    return `${fileName} was not clustered: Centroid needs to know whether its numbers are distances or similarities `
      + `(${choice.reason}); run the command again to answer, or choose in the panel's form.`;
  }
  return `${failure.replace(/\.$/, '')}.`;
}

/** `settings` with the answer's distance settings (the rest as they were). */
export function withAnswer(settings: RunSettings, answer: Partial<DistanceSettings>): RunSettings {
  return { ...settings, distances: { ...DEFAULT_DISTANCE_SETTINGS, ...settings.distances, ...answer } };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

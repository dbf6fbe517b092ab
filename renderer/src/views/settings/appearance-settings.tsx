// Light, dark or the system's choice.

import { useTheme, type ThemeChoice } from '../../state/theme.js';

const CHOICES: Array<[ThemeChoice, string]> = [['system', 'Same as the system'], ['light', 'Light'], ['dark', 'Dark']];

export function AppearanceSettings() {
  const [theme, setTheme] = useTheme();
  return (
    <section className="panel">
      <fieldset>
        <legend>Appearance</legend>
        {CHOICES.map(([value, label]) => (
          <label key={value} className="radio">
            <input type="radio" name="theme" value={value} checked={theme === value} onChange={() => setTheme(value)} /> {label}
          </label>
        ))}
      </fieldset>
    </section>
  );
}

/**
 * A short WebAudio beep for new RFQs. The AudioContext is created on first
 * use (browsers only allow sound after a user gesture; before that the beep
 * is silently skipped).
 */
let context: AudioContext | null = null;

export function beep(frequency = 880, durationMs = 120): void {
  try {
    context ??= new AudioContext();
    if (context.state === "suspended") void context.resume();
    const oscillator = context.createOscillator();
    const gain = context.createGain();
    oscillator.frequency.value = frequency;
    gain.gain.setValueAtTime(0.08, context.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.0001, context.currentTime + durationMs / 1000);
    oscillator.connect(gain).connect(context.destination);
    oscillator.start();
    oscillator.stop(context.currentTime + durationMs / 1000);
  } catch {
    // No audio device or not allowed yet: the toast still tells the maker.
  }
}

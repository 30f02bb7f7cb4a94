import type { LinkReading } from './low-bandwidth';
import { keepLayerWindow, layerFor } from './video-layer';

/** One reading a second from t=0 over `seconds`, each second bringing `perSecond` packets of which `lostPerSecond` lost. */
function seconds(
  count: number,
  perSecond: { received: number; lost: number },
  from: LinkReading | null = null,
  video = true,
): LinkReading[] {
  const out: LinkReading[] = [];
  let at = from?.at ?? 0;
  let received = from?.received ?? 0;
  let lost = from?.lost ?? 0;
  for (let i = 0; i < count; i++) {
    at += 1000;
    received += perSecond.received;
    lost += perSecond.lost;
    out.push({ at, availableKbps: null, lost, received, jitterMs: 5, video });
  }
  return out;
}

const start: LinkReading = { at: 0, availableKbps: null, lost: 0, received: 0, jitterMs: null, video: true };

describe('layerFor: the low layer fast, the full picture back slowly', () => {
  it('keeps the full picture on a clean link', () => {
    expect(layerFor([start, ...seconds(6, { received: 200, lost: 0 })], 'high')).toBe('high');
  });

  it('asks the low layer once more than 2 % was lost over the last 5 s', () => {
    const readings = [start, ...seconds(6, { received: 190, lost: 10 })]; // 5 %
    expect(layerFor(readings, 'high')).toBe('low');
  });

  it('decides nothing before the window is covered', () => {
    expect(layerFor([start, ...seconds(3, { received: 100, lost: 100 })].slice(1), 'high')).toBe('high');
  });

  it('2 % exactly is not more than 2 %', () => {
    expect(layerFor([start, ...seconds(6, { received: 196, lost: 4 })], 'high')).toBe('high');
  });

  it('stays low while the last 30 s lost 0.5 % or more, and returns to high after 30 s under it', () => {
    const lossy = [start, ...seconds(6, { received: 190, lost: 10 })];
    const calm10 = seconds(10, { received: 200, lost: 0 }, lossy[lossy.length - 1]);
    expect(layerFor([...lossy, ...calm10], 'low')).toBe('low');
    const calm30 = seconds(30, { received: 200, lost: 0 }, lossy[lossy.length - 1]);
    expect(layerFor([...lossy, ...calm30], 'low')).toBe('high');
    const slight = seconds(31, { received: 199, lost: 1 }, lossy[lossy.length - 1]); // 0.5 %
    expect(layerFor([...lossy, ...slight], 'low')).toBe('low');
  });

  it('a stall (nothing arrived over the window) changes nothing either way', () => {
    const before = [start, ...seconds(6, { received: 200, lost: 0 })];
    const stalled = seconds(31, { received: 0, lost: 0 }, before[before.length - 1]);
    expect(layerFor([...before, ...stalled], 'high')).toBe('high');
    expect(layerFor([...before, ...stalled], 'low')).toBe('low');
  });

  it('a subscription without video keeps what it has', () => {
    expect(layerFor([start, ...seconds(6, { received: 100, lost: 50 }, null, false)], 'high')).toBe('high');
  });

  it('keepLayerWindow keeps the 30 s window and its base only', () => {
    const readings = [start, ...seconds(60, { received: 200, lost: 0 })];
    const kept = keepLayerWindow(readings);
    expect(kept[0].at).toBe(30_000);
    expect(kept[kept.length - 1].at).toBe(60_000);
    expect(layerFor(kept, 'low')).toBe(layerFor(readings, 'low'));
  });
});

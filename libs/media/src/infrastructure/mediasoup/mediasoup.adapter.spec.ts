import { spatialLayerOf } from './mediasoup.adapter';

describe('spatialLayerOf: the mediasoup layer a subscriber asking low or high receives of a camera', () => {
  it.each([
    ['low', 2, 0],
    ['high', 2, 1],
    ['low', 3, 0],
    ['high', 3, 2],
    // A camera sent without layers has one: both ask it.
    ['low', 1, 0],
    ['high', 1, 0],
  ] as const)('%s of %i layers is layer %i', (layer, layers, expected) => {
    expect(spatialLayerOf(layer, layers)).toBe(expected);
  });
});

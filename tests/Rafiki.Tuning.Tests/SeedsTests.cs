namespace Rafiki.Tuning.Tests;

public class SeedsTests
{
    [Fact]
    public void Derived_seed_is_fixed_across_processes()
    {
        // SplitMix64 of state 0 is 0xE220A8397B1DCDAF; its low 31 bits are 2065550767. A change here changes every study's knobs.
        Assert.Equal(Seeds.Derive(1, 2), Seeds.Derive(1, 2));
        Assert.Equal(2_065_550_767, Seeds.Derive(0, 0));
    }

    [Fact]
    public void Nearby_inputs_give_distinct_seeds()
    {
        var seeds = Enumerable.Range(0, 100).SelectMany(seed => Enumerable.Range(0, 100).Select(index => Seeds.Derive(seed, index))).ToList();

        Assert.Equal(seeds.Count, seeds.Distinct().Count());
        Assert.All(seeds, seed => Assert.True(seed >= 0));
    }
}

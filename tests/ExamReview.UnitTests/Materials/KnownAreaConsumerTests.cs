using ExamReview.Contracts;
using ExamReview.MaterialStorage.Consumers;
using ExamReview.MaterialStorage.Data;
using ExamReview.MaterialStorage.Domain;
using ExamReview.UnitTests.Support;
using MassTransit;
using MassTransit.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ExamReview.UnitTests.Materials;

/// <summary>MaterialStorage learns the areas Registration announces: settings and catalogs are for those areas only.</summary>
public sealed class KnownAreaConsumerTests : IAsyncLifetime
{
    private ConsumerHarness<MaterialStorageDbContext, MaterialStorageSqliteDbContext> _fixture = null!;

    public async Task InitializeAsync() =>
        _fixture = await ConsumerHarness<MaterialStorageDbContext, MaterialStorageSqliteDbContext>.StartAsync(
            x => x.AddConsumer<ExamAreaChangedConsumer>(), null, TimeSpan.FromSeconds(1));

    public async Task DisposeAsync() => await _fixture.DisposeAsync();

    private async Task<KnownArea?> AreaAsync(string code)
    {
        await using var scope = _fixture.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<MaterialStorageDbContext>().KnownAreas.AsNoTracking().SingleOrDefaultAsync(a => a.Code == code);
    }

    [Fact]
    public async Task An_announced_area_becomes_known_and_a_rename_changes_its_name()
    {
        Assert.NotNull(await AreaAsync("43"));
        Assert.Null(await AreaAsync("T8B"));

        foreach (var name in new[] { "测试考区", "测试考区（改名）" })
        {
            var id = NewId.NextGuid();
            await _fixture.Harness.Bus.Publish(new ExamAreaChanged("T8B", name), ctx => ctx.MessageId = id);
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (!_fixture.Harness.Consumed.Select<ExamAreaChanged>(x => x.Context.MessageId == id).Any())
            {
                Assert.True(DateTime.UtcNow < deadline, $"ExamAreaChanged {id} was not consumed");
                await Task.Delay(20);
            }
        }

        Assert.Equal("测试考区（改名）", (await AreaAsync("T8B"))!.Name);
    }

    [Fact]
    public void An_unknown_area_is_refused_as_not_found_and_its_code_is_quoted_capped()
    {
        var refusal = KnownArea.Unknown(new string('9', 500));
        Assert.Equal((RefusalKind.NotFound, "unknown_area"), (refusal.Kind, refusal.Code));
        Assert.Contains(new string('9', 64) + "…", refusal.DetailZh, StringComparison.Ordinal);
        Assert.DoesNotContain(new string('9', 65), refusal.DetailZh, StringComparison.Ordinal);
    }
}

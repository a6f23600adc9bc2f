using ExamReview.Contracts;
using ExamReview.ReviewWorkflow.Consumers;
using ExamReview.ReviewWorkflow.Data;
using ExamReview.UnitTests.Support;
using MassTransit;
using MassTransit.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ExamReview.UnitTests.Review;

/// <summary>ReviewWorkflow learns the areas and sites Registration announces (its rounds and metrics name only those).</summary>
public sealed class PlaceConsumerTests : IAsyncLifetime
{
    private ConsumerHarness<ReviewDbContext, ReviewSqliteDbContext> _fixture = null!;

    public async Task InitializeAsync() =>
        _fixture = await ConsumerHarness<ReviewDbContext, ReviewSqliteDbContext>.StartAsync(x =>
        {
            x.AddConsumer<ExamAreaChangedConsumer>();
            x.AddConsumer<ExamSiteChangedConsumer>();
        }, null, TimeSpan.FromSeconds(1));

    public async Task DisposeAsync() => await _fixture.DisposeAsync();

    private async Task PublishAndSettleAsync<T>(T message, Guid id) where T : class
    {
        var before = _fixture.Harness.Consumed.Select<T>(x => x.Context.MessageId == id).Count();
        await _fixture.Harness.Bus.Publish(message, ctx => ctx.MessageId = id);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (_fixture.Harness.Consumed.Select<T>(x => x.Context.MessageId == id).Count() <= before)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{typeof(T).Name} {id} was not consumed");
            await Task.Delay(20);
        }
    }

    private async Task<T> ReadAsync<T>(Func<ReviewDbContext, Task<T>> read)
    {
        await using var scope = _fixture.Services.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<ReviewDbContext>());
    }

    [Fact]
    public async Task The_seeded_places_are_known_before_any_announcement()
    {
        Assert.True(await ReadAsync(db => db.KnownAreas.AnyAsync(a => a.Code == "43")));
        Assert.Equal("43", await ReadAsync(db => db.KnownSites.Where(s => s.Code == "4301").Select(s => s.AreaCode).SingleAsync()));
        Assert.False(await ReadAsync(db => db.KnownAreas.AnyAsync(a => a.Code == "99")));
    }

    [Fact]
    public async Task An_announced_area_and_site_become_known_and_a_rename_changes_only_the_name()
    {
        await PublishAndSettleAsync(new ExamAreaChanged("T7A", "测试考区"), NewId.NextGuid());
        await PublishAndSettleAsync(new ExamSiteChanged("T7AS1", "T7A", "测试考点"), NewId.NextGuid());
        await PublishAndSettleAsync(new ExamAreaChanged("T7A", "测试考区（改名）"), NewId.NextGuid());
        await PublishAndSettleAsync(new ExamSiteChanged("T7AS1", "T7A", "测试考点（改名）"), NewId.NextGuid());

        var area = await ReadAsync(db => db.KnownAreas.AsNoTracking().SingleAsync(a => a.Code == "T7A"));
        Assert.Equal("测试考区（改名）", area.Name);
        var site = await ReadAsync(db => db.KnownSites.AsNoTracking().SingleAsync(s => s.Code == "T7AS1"));
        Assert.Equal(("T7A", "测试考点（改名）"), (site.AreaCode, site.Name));
        Assert.Equal(1, await ReadAsync(db => db.KnownSites.CountAsync(s => s.AreaCode == "T7A")));
    }
}

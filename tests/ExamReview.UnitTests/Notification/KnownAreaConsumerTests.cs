using ExamReview.Contracts;
using ExamReview.Notification.Consumers;
using ExamReview.Notification.Data;
using ExamReview.Notification.Domain;
using ExamReview.ServiceDefaults.Problems;
using ExamReview.UnitTests.Support;
using MassTransit;
using MassTransit.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ExamReview.UnitTests.Notification;

/// <summary>
/// Notification learns the areas Registration announces (senders and templates are for those only), once per message:
/// a redelivered announcement adds nothing and changes nothing, and an operator's sender name outlives a rename.
/// </summary>
public sealed class KnownAreaConsumerTests : IAsyncLifetime
{
    private ConsumerHarness<NotificationDbContext, NotificationSqliteDbContext> _fixture = null!;

    private readonly DeliveryCount _deliveries = new();

    public async Task InitializeAsync()
    {
        _fixture = await ConsumerHarness<NotificationDbContext, NotificationSqliteDbContext>.StartAsync(
            x => x.AddConsumer<ExamAreaChangedConsumer>(), null, TimeSpan.FromSeconds(1));
        _fixture.Harness.Bus.ConnectConsumeObserver(_deliveries);
    }

    public async Task DisposeAsync() => await _fixture.DisposeAsync();

    private async Task<T> ReadAsync<T>(Func<NotificationDbContext, Task<T>> read)
    {
        await using var scope = _fixture.Services.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<NotificationDbContext>());
    }

    /// <summary>
    /// Publishes the message <paramref name="copies"/> times under one id, one after the other, each time waiting until
    /// it was consumed (the harness lists a message id once, so a redelivery is counted by a consume observer).
    /// </summary>
    private async Task PublishAsync(ExamAreaChanged message, Guid id, int copies = 1)
    {
        for (var i = 0; i < copies; i++)
        {
            var before = _deliveries.Consumed;
            await _fixture.Harness.Bus.Publish(message, ctx => ctx.MessageId = id);
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (_deliveries.Consumed == before)
            {
                Assert.True(DateTime.UtcNow < deadline, $"ExamAreaChanged {id} was not consumed");
                await Task.Delay(20);
            }
        }
        Assert.Equal(0, _deliveries.Faulted);
    }

    private sealed class DeliveryCount : IConsumeObserver
    {
        private int _consumed;
        private int _faulted;

        public int Consumed => Volatile.Read(ref _consumed);
        public int Faulted => Volatile.Read(ref _faulted);

        public Task PreConsume<T>(ConsumeContext<T> context) where T : class => Task.CompletedTask;

        public Task PostConsume<T>(ConsumeContext<T> context) where T : class
        {
            Interlocked.Increment(ref _consumed);
            return Task.CompletedTask;
        }

        public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception) where T : class
        {
            Interlocked.Increment(ref _faulted);
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task An_announced_area_is_learnt_once_however_often_its_message_arrives()
    {
        Assert.True(await ReadAsync(db => db.KnownAreas.AnyAsync(a => a.Code == "43")));
        Assert.False(await ReadAsync(db => db.KnownAreas.AnyAsync(a => a.Code == "T9N")));

        var announced = NewId.NextGuid();
        await PublishAsync(new ExamAreaChanged("T9N", "测试考区"), announced, copies: 2);

        var area = await ReadAsync(db => db.KnownAreas.AsNoTracking().SingleAsync(a => a.Code == "T9N"));
        Assert.Equal("测试考区", area.Name);
        Assert.Equal("测试考区", (await ReadAsync(db => db.AreaSenders.AsNoTracking().SingleAsync(s => s.AreaCode == "T9N"))).SenderName);
        Assert.Equal(1, await ReadAsync(db => db.InboxMessages.CountAsync(m => m.MessageId == announced)));

        // An operator names the sender; Registration renames the area: the area's name follows, the sender's stays.
        await using (var scope = _fixture.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<NotificationDbContext>();
            (await db.AreaSenders.SingleAsync(s => s.AreaCode == "T9N")).Rename("测试考区招生办");
            await db.SaveChangesAsync();
        }
        await PublishAsync(new ExamAreaChanged("T9N", "测试考区（改名）"), NewId.NextGuid());
        // The first announcement delivered again afterwards is already handled: it does not bring the old name back.
        await PublishAsync(new ExamAreaChanged("T9N", "测试考区"), announced);

        Assert.Equal("测试考区（改名）", (await ReadAsync(db => db.KnownAreas.AsNoTracking().SingleAsync(a => a.Code == "T9N"))).Name);
        Assert.Equal(1, await ReadAsync(db => db.KnownAreas.CountAsync(a => a.Code == "T9N")));
        Assert.Equal("测试考区招生办", (await ReadAsync(db => db.AreaSenders.AsNoTracking().SingleAsync(s => s.AreaCode == "T9N"))).SenderName);
    }

    [Theory]
    [InlineData("【湖南】")]
    [InlineData("国家医学考试中心湖南省医师资格考试考区办公室（长沙市芙蓉区）")]
    [InlineData("国家医学考试中心湖南省医师资格考试考区办公室（长沙市芙蓉区韶山北路某号某大厦某层某室某某某某某某某某某某某某某某某某某某某某某某某某某）")]
    public async Task An_area_whose_name_cannot_be_a_sender_is_learnt_without_one_and_gets_one_from_an_operator(string name)
    {
        // The name used to become the sender as it was: 【【湖南】】 in every SMS, a sign over 20 characters the provider
        // refuses, or (over 64) a failed announcement on PostgreSQL, so the area was never known here.
        var area = "T" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        await PublishAsync(new ExamAreaChanged(area, name), NewId.NextGuid());

        Assert.Equal(name, (await ReadAsync(db => db.KnownAreas.AsNoTracking().SingleAsync(a => a.Code == area))).Name);
        Assert.False(await ReadAsync(db => db.AreaSenders.AnyAsync(s => s.AreaCode == area)));

        // A later name that can be a sender's gives the area its first one.
        await PublishAsync(new ExamAreaChanged(area, "湖南考区"), NewId.NextGuid());
        Assert.Equal("湖南考区", (await ReadAsync(db => db.AreaSenders.AsNoTracking().SingleAsync(s => s.AreaCode == area))).SenderName);
    }

    [Fact]
    public void A_template_batch_names_each_item_of_an_area_not_known_and_every_area_is_always_known()
    {
        var drafts = new SmsTemplateDraft[]
        {
            new("43", "review-approved", "SMS_1", "通过。"),
            new(SmsTemplate.AnyArea, "review-approved", "SMS_1", "通过。"),
            new("98", "review-approved", "SMS_1", "通过。"),
            new(null, "review-approved", "SMS_1", "通过。"),
            new("98", "review-rejected", "SMS_1", "未通过。"),
        };
        Assert.Equal([(2, "98"), (4, "98")], KnownArea.UnknownIn(drafts, new HashSet<string>(["43"], StringComparer.Ordinal)));
    }

    [Fact]
    public void The_refusal_says_the_area_may_not_have_synced_yet_and_quotes_the_code_capped()
    {
        var (zh, en) = UnknownPlaces.AreaText(new string('9', 500));
        Assert.StartsWith("本服务尚无考区", zh, StringComparison.Ordinal);
        Assert.Contains("同步", zh, StringComparison.Ordinal);
        Assert.Contains("synced", en, StringComparison.Ordinal);
        Assert.Contains(new string('9', 64) + "…", zh, StringComparison.Ordinal);
        Assert.DoesNotContain(new string('9', 65), zh, StringComparison.Ordinal);
        Assert.Contains("属于考区“44”", UnknownPlaces.SiteText("4401", "43", "44").Zh, StringComparison.Ordinal);
    }
}

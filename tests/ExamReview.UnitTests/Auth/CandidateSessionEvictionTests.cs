using System.Net;
using System.Security.Cryptography;
using ExamReview.Contracts;
using ExamReview.ServiceDefaults.Auth;
using ExamReview.ServiceDefaults.Hosting;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace ExamReview.UnitTests.Auth;

/// <summary>
/// The session check of every process but Registration's remembers Registration's answers for 15 s; Registration's
/// announcement of ended sessions (<see cref="CandidateSessionsEnded"/>) makes it refuse them at once, on the real
/// consumer over MassTransit's in-memory harness, with Registration's internal endpoint played by a stub.
/// </summary>
public sealed class CandidateSessionEvictionTests
{
    private static readonly Guid Candidate = Guid.CreateVersion7();

    [Fact]
    public async Task An_announced_end_refuses_the_session_at_once_where_the_cached_answer_would_have_kept_it()
    {
        await using var rig = await Rig.StartAsync();
        Guid laptop = Guid.CreateVersion7(), phone = Guid.CreateVersion7();
        rig.Registration.Open(laptop, phone);
        Assert.True(await rig.Check.IsOpenAsync(laptop, Candidate, CancellationToken.None));
        Assert.True(await rig.Check.IsOpenAsync(phone, Candidate, CancellationToken.None));

        // Registration ends the laptop's session. Without the announcement the cached answer stands (the fallback).
        rig.Registration.End(laptop);
        Assert.True(await rig.Check.IsOpenAsync(laptop, Candidate, CancellationToken.None));
        Assert.Equal(2, rig.Registration.Calls);

        await rig.Harness.Bus.Publish(new CandidateSessionsEnded(Candidate, [laptop, Guid.CreateVersion7()], rig.Clock.GetUtcNow()));
        Assert.True(await rig.Harness.GetConsumerHarness<CandidateSessionsEndedConsumer>().Consumed.Any<CandidateSessionsEnded>());

        Assert.False(await rig.Check.IsOpenAsync(laptop, Candidate, CancellationToken.None));
        // A session the announcement does not name keeps its answer; nothing was asked of Registration meanwhile.
        Assert.True(await rig.Check.IsOpenAsync(phone, Candidate, CancellationToken.None));
        Assert.Equal(2, rig.Registration.Calls);

        // Told again (a redelivery): nothing changes.
        rig.Check.Ended([laptop]);
        Assert.False(await rig.Check.IsOpenAsync(laptop, Candidate, CancellationToken.None));
        Assert.Equal(2, rig.Registration.Calls);

        // Once the announcement is forgotten, Registration is asked again and says the same.
        rig.Clock.Advance(RemoteCandidateSessionCheck.EndedFor + TimeSpan.FromSeconds(1));
        Assert.False(await rig.Check.IsOpenAsync(laptop, Candidate, CancellationToken.None));
        Assert.Equal(3, rig.Registration.Calls);
    }

    [Fact]
    public async Task An_open_answer_read_before_the_end_and_arriving_after_the_announcement_does_not_reopen_the_session()
    {
        await using var rig = await Rig.StartAsync();
        var session = Guid.CreateVersion7();
        rig.Registration.Open(session);
        rig.Registration.Hold();

        // Asked just before the end was committed; the "open" answer is still on its way when the announcement arrives.
        var asking = rig.Check.IsOpenAsync(session, Candidate, CancellationToken.None);
        await rig.Registration.Asked.Task;
        rig.Check.Ended([session]);
        rig.Registration.Release();

        Assert.False(await asking);
        Assert.False(await rig.Check.IsOpenAsync(session, Candidate, CancellationToken.None));
        Assert.Equal(1, rig.Registration.Calls);
    }

    private sealed class Rig : IAsyncDisposable
    {
        private readonly ServiceProvider _services;

        private Rig(ServiceProvider services, RegistrationStub registration, MovableClock clock)
        {
            _services = services;
            Registration = registration;
            Clock = clock;
        }

        public RegistrationStub Registration { get; }
        public MovableClock Clock { get; }
        public RemoteCandidateSessionCheck Check => _services.GetRequiredService<RemoteCandidateSessionCheck>();
        public ITestHarness Harness => _services.GetRequiredService<ITestHarness>();

        public static async Task<Rig> StartAsync()
        {
            var registration = new RegistrationStub();
            var clock = new MovableClock();
            var services = new ServiceCollection();
            services.AddLogging();
            services.AddSingleton<TimeProvider>(clock);
            services.AddSingleton(new AuthOptions { ServiceKeys = [Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))] });
            services.AddSingleton<ServiceTokens>();
            services.AddSingleton<IHttpClientFactory>(new StubClients(registration));
            services.AddSingleton<ServiceClients>();
            services.AddSingleton<RemoteCandidateSessionCheck>();
            services.AddSingleton<ICandidateSessionCheck>(sp => sp.GetRequiredService<RemoteCandidateSessionCheck>());
            services.AddMassTransitTestHarness(bus => bus.AddConsumer<CandidateSessionsEndedConsumer>());
            var provider = services.BuildServiceProvider(true);
            await provider.GetRequiredService<ITestHarness>().Start();
            return new Rig(provider, registration, clock);
        }

        public async ValueTask DisposeAsync()
        {
            await Harness.Stop();
            await _services.DisposeAsync();
            Registration.Dispose();
        }
    }

    /// <summary>Registration's internal session endpoint: 204 while a session is open, 404 once ended; counts the questions.</summary>
    private sealed class RegistrationStub : HttpMessageHandler
    {
        private readonly HashSet<Guid> _open = [];
        private TaskCompletionSource? _held;
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public TaskCompletionSource Asked { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Open(params Guid[] sessions) => _open.UnionWith(sessions);

        public void End(Guid session) => _open.Remove(session);

        /// <summary>Answers are read at once but sent only on <see cref="Release"/>.</summary>
        public void Hold() => _held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release() => _held?.TrySetResult();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            var session = Guid.Parse(request.RequestUri!.AbsolutePath[RemoteCandidateSessionCheck.PathPrefix.Length..]);
            var status = _open.Contains(session) ? HttpStatusCode.NoContent : HttpStatusCode.NotFound;
            Asked.TrySetResult();
            if (_held is { } held)
            {
                await held.Task.WaitAsync(cancellationToken);
            }
            return new HttpResponseMessage(status);
        }
    }

    private sealed class StubClients(HttpMessageHandler registration) : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new(registration, disposeHandler: false);
    }

    private sealed class MovableClock : TimeProvider
    {
        private DateTimeOffset _now = new(2027, 3, 1, 1, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}

using ExamReview.LoadGenerator;

namespace ExamReview.LoadGenerator.Tests;

public sealed class RecorderTests
{
    [Fact]
    public void A_reset_forgets_the_warm_up_and_says_how_much_it_forgot()
    {
        var recorder = new Recorder();
        recorder.Add("POST upload", 900, 201);
        recorder.Add("POST upload", 800, 500);
        recorder.Add("GET page", 40, 304);
        recorder.Add("e2e upload → verdict visible", 700); // a wait, not an answer

        Assert.Equal((2, 1), recorder.Reset());
        Assert.Empty(recorder.Names);

        recorder.Add("POST upload", 120, 201);
        Assert.Equal(1, recorder.Count("POST upload"));
        Assert.Equal([120.0], recorder["POST upload"].Snapshot().Ok);
    }
}

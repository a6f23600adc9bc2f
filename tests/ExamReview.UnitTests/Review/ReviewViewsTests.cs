using ExamReview.ReviewWorkflow.Api;
using ExamReview.ReviewWorkflow.Domain;
using static ExamReview.UnitTests.Review.ReviewCases;

namespace ExamReview.UnitTests.Review;

/// <summary>The case as the reviewer console reads it (<see cref="ReviewViews"/>).</summary>
public sealed class ReviewViewsTests
{
    [Fact]
    public void A_case_shows_its_current_images_in_the_order_the_candidate_uploaded_them()
    {
        // MaterialStorage's image ids are version-7 ids taken at upload: front, back, hand-held, then the licence.
        var uploads = Enumerable.Range(0, 4).Select(i => Guid.CreateVersion7(T0.AddSeconds(i))).ToList();
        // The case's rows are made in one go when the submission arrives, in no particular order of their own.
        var rows = new[] { uploads[2], uploads[0], uploads[3], uploads[1] }.Select(imageId => Image(imageId: imageId)).ToList();
        // An image replaced earlier stays in the case's history, not among its current images.
        rows.Add(Image(current: false, imageId: Guid.CreateVersion7(T0.AddSeconds(-5))));

        var view = ReviewViews.ToView(NewCase(), T0, rows);

        Assert.Equal(uploads, view.Images!.Select(i => i.ImageId));
    }
}

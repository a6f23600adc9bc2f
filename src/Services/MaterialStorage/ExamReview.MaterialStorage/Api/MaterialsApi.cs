using ExamReview.MaterialStorage.Domain;
using ExamReview.ServiceDefaults.Auth;

namespace ExamReview.MaterialStorage.Api;

/// <summary>
/// The candidate's upload page and the staff's view of it. The rules (upload, replace, delete, submit) are the
/// <see cref="MaterialApplication"/> aggregate's; the endpoints load, ask it, translate its refusal and commit
/// (<see cref="ApplicationApi"/>, <see cref="ImagesApi"/>, <see cref="SubmissionApi"/>).
/// </summary>
public static class MaterialsApi
{
    public const string Prefix = "/api/v1/materials";
    public const string SubmittedMessage = SubmissionApi.SubmittedMessage;

    public static void MapMaterialsApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup(Prefix).WithTags("Materials")
            .MapApplicationApi()
            .MapImagesApi()
            .MapSubmissionApi();
    }
}

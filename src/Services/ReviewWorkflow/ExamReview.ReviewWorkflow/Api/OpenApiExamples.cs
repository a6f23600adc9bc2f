using ExamReview.ReviewWorkflow.Api;
using ExamReview.ServiceDefaults.OpenApi;

// Examples of the review flow (认领 → 逐图决定 → 退回 / 通过) in ReviewWorkflow's OpenAPI document.
[assembly: OpenApiExample(typeof(ReplacementRequest), """{"reasonCode":"unclear","note":"身份证正面反光，号码看不清，请在自然光下重拍。"}""")]
[assembly: OpenApiExample(typeof(ReturnRequest), """{"feedback":"请按要求更换标记的图片后重新提交。","imageIds":["0b6f8f4e-6a0c-4d5e-9a51-2f7d7f1e4c21"]}""")]
[assembly: OpenApiExample(typeof(ApproveRequest), """{"overrideMissingMaterials":false,"overrideReason":null}""")]
[assembly: OpenApiExample(typeof(RejectRequest), """{"reason":"学历证书与报名信息不符，经核实不具备报考资格。"}""")]
[assembly: OpenApiExample(typeof(ResumeRequest), """{"reason":"考生已在考点核对学历信息，报名信息无误，无需更正。"}""")]
[assembly: OpenApiExample(typeof(BulkApproveRequest), """{"caseIds":["3f2b8c1e-2d4a-4b7e-8f10-5a6b7c8d9e01","6e1d2c3b-4a5f-4e6d-9c8b-7a6f5e4d3c02"]}""")]
[assembly: OpenApiExample(typeof(BulkApproveResponse), """
    {"approved":1,"refused":1,"results":[{"caseId":"3f2b8c1e-2d4a-4b7e-8f10-5a6b7c8d9e01","approved":true,"code":null,"detail":null},
     {"caseId":"6e1d2c3b-4a5f-4e6d-9c8b-7a6f5e4d3c02","approved":false,"code":"images_not_reviewed","detail":"Some images are not reviewed yet."}]}
    """)]

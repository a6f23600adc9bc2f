import { describe, expect, it } from "vitest";
import { actorLabels, label, newSubmissionLabel, timelineDetail } from "../src/lib/labels";

const held = "01a23c2c-665f-77c9-bdbe-f11720072fa8";
const other = "01a23c2c-67c3-7295-8228-9ccc58f8bf5e";

describe("timeline lines as a reviewer reads them", () => {
  it("names an image the case holds by its place, as the image header counts them", () => {
    expect(timelineDetail(`图片 ${held}（毕业证书）`, [other, held])).toBe("第 2 张图片（毕业证书）");
    expect(timelineDetail(`图片 ${held}检测未通过；案件已更新，此前打开的审核决定需刷新后重试`, [held]))
      .toBe("第 1 张图片检测未通过；案件已更新，此前打开的审核决定需刷新后重试");
  });

  it("keeps the start of the id of an image the case does not hold, and leaves other text alone", () => {
    expect(timelineDetail(`图片 ${other}（不在本案当前图片中）检测未通过`, [held])).toBe("图片 01a23c2c…（不在本案当前图片中）检测未通过");
    expect(timelineDetail("第 1 次提交，7 张图片", [held])).toBe("第 1 次提交，7 张图片");
  });

  it("says who acted in Chinese, and a reviewer by their subject", () => {
    expect(label(actorLabels, "system")).toBe("系统");
    expect(label(actorLabels, "candidate")).toBe("考生");
    expect(label(actorLabels, "site-li")).toBe("site-li");
  });

  it("calls new material on a first submission new uploads, and a later submission a resubmission", () => {
    expect(newSubmissionLabel(1)).toBe("有新上传");
    expect(newSubmissionLabel(2)).toBe("重新提交");
  });
});

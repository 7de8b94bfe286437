'use strict';
// ModifyImageShareStatus: every rule and error. Share/UnShare effects and filters, repeated
// operations (success, no change), case-sensitive Operation, missing parameters, NotFound for
// unknown / deleted / other-region / other-account images (identical answers), unknown region,
// ClientToken limits, an image that is still being created, and deletes of shared images.
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');

const { removeDir } = require('./lib/server');
const { expectSdkError } = require('./lib/expect');
const S = require('./lib/swas');
const { R, REGION, REGION2, NOWHERE, jsonIds } = S;

const share = (c, imageId, operation, extra = {}) => R.modifyImageShareStatus(c, { imageId, operation, ...extra });
// What ECS lists for `imageId` in REGION (DescribeImages, the caller's view).
const ecsImages = (port, key, imageId) => {
  const X = require('./lib/ecs');
  return X.E.describeImages(X.ecsClient(port, key), { regionId: REGION, imageId });
};
const inShare = async (c, imageId, regionId = REGION) => {
  const img = await S.getCustomImage(c, imageId, regionId);
  assert.ok(img, `image ${imageId} not listed in ${regionId}`);
  return img.inShare;
};

describe('ModifyImageShareStatus', () => {
  let env, a, b, other;
  let imgA;      // A's available image in REGION
  let imgA2;     // A's second available image in REGION (same instance)
  let imgB;      // B's available image in REGION
  let imgAr2;    // A's available image in REGION2

  before(async () => {
    env = await S.startSwas();
    a = S.swasClient(env.port, env.root);
    other = S.createAccount(env.dataDir, 'other');
    b = S.swasClient(env.port, other);
    const [x, y, z] = await Promise.all([
      S.makeImage(a),
      S.makeImage(b),
      S.makeImage(a, { regionId: REGION2 }),
    ]);
    imgA = x.imageId;
    imgB = y.imageId;
    imgAr2 = z.imageId;
    imgA2 = (await S.makeImage(a, { instanceId: x.instanceId })).imageId;
  });

  after(async () => {
    if (env) { await env.server.stop(); removeDir(env.dataDir); }
  });

  describe('effects', () => {
    it('Share -> InShare true, only on that image; Share=true lists it, Share=false does not', async () => {
      S.assertRequestIdOnly(await share(a, imgA, 'Share'));
      assert.equal(await inShare(a, imgA), true);
      assert.equal(await inShare(a, imgA2), false, 'sharing one image changed another');
      const t = await R.listCustomImages(a, { share: true });
      assert.deepEqual(t.customImages.map(i => i.imageId), [imgA]);
      assert.equal(t.totalCount, '1');
      const f = await R.listCustomImages(a, { share: false });
      assert.deepEqual(f.customImages.map(i => i.imageId), [imgA2]);
      assert.equal(f.totalCount, '1');
      const all = await R.listCustomImages(a);
      assert.deepEqual(all.customImages.map(i => i.imageId).sort(), [imgA, imgA2].sort());
      // Share combined with ImageIds.
      assert.deepEqual((await R.listCustomImages(a, { share: true, imageIds: jsonIds([imgA2]) })).customImages, []);
      assert.deepEqual((await R.listCustomImages(a, { share: true, imageIds: jsonIds([imgA, imgA2]) })).customImages.map(i => i.imageId), [imgA]);
    });

    it('Share again on a shared image -> success, no change', async () => {
      S.assertRequestIdOnly(await share(a, imgA, 'Share'));
      S.assertRequestIdOnly(await share(a, imgA, 'Share', { clientToken: S.newToken() }));
      assert.equal(await inShare(a, imgA), true);
      assert.equal((await R.listCustomImages(a, { share: true })).totalCount, '1');
    });

    it('UnShare -> InShare false; Share=true empty', async () => {
      S.assertRequestIdOnly(await share(a, imgA, 'UnShare'));
      assert.equal(await inShare(a, imgA), false);
      assert.deepEqual((await R.listCustomImages(a, { share: true })).customImages, []);
      assert.equal((await R.listCustomImages(a, { share: false })).totalCount, '2');
    });

    it('UnShare again on an unshared image -> success, no change', async () => {
      S.assertRequestIdOnly(await share(a, imgA, 'UnShare'));
      assert.equal(await inShare(a, imgA), false);
    });

    it('UnShare on a never-shared image -> success, stays unshared', async () => {
      S.assertRequestIdOnly(await share(a, imgA2, 'UnShare'));
      assert.equal(await inShare(a, imgA2), false);
    });

    it("one account's share state is invisible to and unaffected by another", async () => {
      S.assertRequestIdOnly(await share(b, imgB, 'Share'));
      assert.equal(await inShare(b, imgB), true);
      assert.deepEqual((await R.listCustomImages(a, { share: true })).customImages, [], "B's shared image shows up for A");
      assert.deepEqual((await R.listCustomImages(b, { share: true })).customImages.map(i => i.imageId), [imgB]);
      const bAll = (await R.listCustomImages(b)).customImages.map(i => i.imageId);
      assert.deepEqual(bAll, [imgB], "A's images listed for B");
      S.assertRequestIdOnly(await share(b, imgB, 'UnShare'));
    });

    it('Share in REGION2 touches only the REGION2 image', async () => {
      S.assertRequestIdOnly(await share(a, imgAr2, 'Share', { regionId: REGION2 }));
      assert.equal(await inShare(a, imgAr2, REGION2), true);
      assert.deepEqual((await R.listCustomImages(a, { share: true })).customImages, [], 'REGION2 image listed in REGION');
      S.assertRequestIdOnly(await share(a, imgAr2, 'UnShare', { regionId: REGION2 }));
      assert.equal(await inShare(a, imgAr2, REGION2), false);
    });
  });

  describe('InvalidParam.OperationIllegal 400 (Operation is exactly Share or UnShare)', () => {
    for (const op of ['share', 'SHARE', 'unshare', 'UNSHARE', 'Unshare', 'unShare', 'Delete', 'Share ', ' UnShare', 'Share,UnShare', 'true']) {
      it(`Operation ${JSON.stringify(op)}`, async () => {
        await expectSdkError(share(a, imgA2, op), { code: 'InvalidParam.OperationIllegal', status: 400 });
        assert.equal(await inShare(a, imgA2), false, 'state changed by an illegal operation');
      });
    }
    it('an illegal operation on a shared image leaves it shared', async () => {
      await share(a, imgA2, 'Share');
      await expectSdkError(share(a, imgA2, 'UNSHARE'), { code: 'InvalidParam.OperationIllegal', status: 400 });
      assert.equal(await inShare(a, imgA2), true);
      await share(a, imgA2, 'UnShare');
    });
  });

  describe('MissingParameter 400', () => {
    it('no ImageId', async () => {
      await expectSdkError(R.modifyImageShareStatus(a, { operation: 'Share' }), { code: 'MissingParameter', status: 400 });
    });
    it('no Operation', async () => {
      await expectSdkError(R.modifyImageShareStatus(a, { imageId: imgA }), { code: 'MissingParameter', status: 400 });
      assert.equal(await inShare(a, imgA), false);
    });
    // No RegionId is not missing: the call takes the endpoint's or the default region
    // (cn-hangzhou here; terraform.test.js covers both and a server without a default).
    it('no RegionId: the default region\'s image is the one shared', async () => {
      S.assertRequestIdOnly(await R.modifyImageShareStatus(a, { regionId: undefined, imageId: imgA, operation: 'Share' }));
      assert.equal(await inShare(a, imgA), true);
      S.assertRequestIdOnly(await R.modifyImageShareStatus(a, { regionId: undefined, imageId: imgA, operation: 'UnShare' }));
      assert.equal(await inShare(a, imgA), false);
    });
  });

  describe('InvalidImageId.NotFound 404, identical for every reason', () => {
    const answers = {};
    // The Message may echo the ImageId the caller sent; anything else must be the same.
    const record = (label, e, imageId) => {
      answers[label] = { code: e.code, status: e.statusCode, message: e.data.Message.split(imageId).join('<ImageId>') };
    };
    const expected = { code: 'InvalidImageId.NotFound', status: 404 };

    it('unknown m- id', async () => {
      record('unknown', await expectSdkError(share(a, 'm-nosuchimage0000000', 'Share'), expected), 'm-nosuchimage0000000');
      record('unknown-unshare', await expectSdkError(share(a, 'm-nosuchimage0000000', 'UnShare'), expected), 'm-nosuchimage0000000');
    });

    it('deleted image', async () => {
      const { imageId } = await S.makeImage(a);
      S.assertRequestIdOnly(await R.deleteCustomImage(a, { imageId }));
      record('deleted', await expectSdkError(share(a, imageId, 'Share'), expected), imageId);
      record('deleted-unshare', await expectSdkError(share(a, imageId, 'UnShare'), expected), imageId);
    });

    it('same id, other RegionId (both directions)', async () => {
      record('other-region', await expectSdkError(share(a, imgA, 'Share', { regionId: REGION2 }), expected), imgA);
      record('other-region-2', await expectSdkError(share(a, imgAr2, 'Share', { regionId: REGION }), expected), imgAr2);
      assert.equal(await inShare(a, imgA), false);
      assert.equal(await inShare(a, imgAr2, REGION2), false);
    });

    it("another account's image (Share and UnShare), and the owner's state is untouched", async () => {
      record('other-account', await expectSdkError(share(b, imgA, 'Share'), expected), imgA);
      await share(a, imgA, 'Share');
      record('other-account-unshare', await expectSdkError(share(b, imgA, 'UnShare'), expected), imgA);
      assert.equal(await inShare(a, imgA), true, "another account's UnShare changed the image");
      await share(a, imgA, 'UnShare');
      record('other-account-b', await expectSdkError(share(a, imgB, 'Share'), expected), imgB);
      assert.equal(await inShare(b, imgB), false);
    });

    it('all the NotFound answers are the same code, status and Message', () => {
      const labels = Object.keys(answers);
      assert.ok(labels.length >= 8, `only ${labels.join(',')} recorded (earlier cases failed)`);
      const ref = answers[labels[0]];
      for (const l of labels) assert.deepEqual(answers[l], ref, `${l} differs from ${labels[0]}: ${JSON.stringify(answers)}`);
      assert.ok(!ref.message.includes(other.AccountId) && !ref.message.includes(env.root.AccountId), `Message reveals an account: ${ref.message}`);
    });

    it('a system image id (not a custom image) is refused with a 4xx', async () => {
      const sys = await S.systemImageId(a);
      await S.expectSdkClientError(share(a, sys, 'Share'), { statuses: [400, 403, 404] });
    });
  });

  describe('regions and ClientToken', () => {
    it('unknown RegionId -> InvalidRegionId.NotFound 404', async () => {
      await expectSdkError(share(a, imgA, 'Share', { regionId: NOWHERE }), { code: 'InvalidRegionId.NotFound', status: 404 });
      assert.equal(await inShare(a, imgA), false);
    });

    it('ClientToken of 65 chars -> InvalidParameter 400', async () => {
      await expectSdkError(share(a, imgA, 'Share', { clientToken: 'x'.repeat(65) }), { code: 'InvalidParameter', status: 400 });
      assert.equal(await inShare(a, imgA), false);
    });

    it('non-ASCII ClientToken -> InvalidParameter 400', async () => {
      await expectSdkError(share(a, imgA, 'Share', { clientToken: 'token-令牌' }), { code: 'InvalidParameter', status: 400 });
      await expectSdkError(share(a, imgA, 'Share', { clientToken: 'caf\u00e9' }), { code: 'InvalidParameter', status: 400 });
      assert.equal(await inShare(a, imgA), false);
    });

    it('ClientToken of exactly 64 ASCII chars is accepted', async () => {
      S.assertRequestIdOnly(await share(a, imgA, 'Share', { clientToken: 'T'.repeat(32) + S.newToken().replace(/-/g, '') }));
      assert.equal(await inShare(a, imgA), true);
      await share(a, imgA, 'UnShare');
    });
  });

  // swasd records a mutation's SignatureNonce in the same commit as the mutation; a mutation that
  // fails must still burn it, or a captured request that failed could be replayed later, when it
  // would succeed. (A client with a pinned nonce sends the same nonce on every call.)
  describe('SignatureNonce of a mutation', () => {
    const pinned = () => S.swasClient(env.port, env.root,
      { globalParameters: { headers: { 'x-acs-signature-nonce': S.newToken() } } });
    const nonceUsed = { code: 'SignatureNonceUsed', status: 400 };

    it('a refused DeleteCustomImage burns its nonce: after UnShare the same call is a replay, not a delete', async () => {
      const { imageId } = await S.makeImage(a);
      await share(a, imageId, 'Share');
      const c = pinned();
      await expectSdkError(R.deleteCustomImage(c, { imageId }), { code: 'CustomImageInShare', status: 400 });
      await share(a, imageId, 'UnShare');
      await expectSdkError(R.deleteCustomImage(c, { imageId }), nonceUsed);
      assert.ok(await S.getCustomImage(a, imageId), 'the replayed delete deleted the image');
      S.assertRequestIdOnly(await R.deleteCustomImage(a, { imageId }));
    });

    it('a successful Share replayed after an UnShare does nothing', async () => {
      const { imageId } = await S.makeImage(a);
      const c = pinned();
      S.assertRequestIdOnly(await share(c, imageId, 'Share'));
      await share(a, imageId, 'UnShare');
      await expectSdkError(share(c, imageId, 'Share'), nonceUsed);
      assert.equal(await inShare(a, imageId), false);
      // An unknown image: NotFound first, then a replay -- whatever the call, the nonce is spent.
      const d = pinned();
      await expectSdkError(share(d, 'm-nosuchimage0000000', 'Share'), { code: 'InvalidImageId.NotFound', status: 404 });
      await expectSdkError(share(d, imageId, 'Share'), nonceUsed);
      assert.equal(await inShare(a, imageId), false);
      S.assertRequestIdOnly(await R.deleteCustomImage(a, { imageId }));
    });
  });

  describe('deleting shared images', () => {
    it('DeleteCustomImage of a shared image -> CustomImageInShare 400, kept', async () => {
      await share(a, imgA, 'Share');
      await expectSdkError(R.deleteCustomImage(a, { imageId: imgA }), { code: 'CustomImageInShare', status: 400 });
      assert.equal(await inShare(a, imgA), true);
    });

    it('DeleteCustomImages with one shared image -> CustomImageInShare 400, none deleted', async () => {
      await expectSdkError(R.deleteCustomImages(a, { imageIds: jsonIds([imgA2, imgA]) }), { code: 'CustomImageInShare', status: 400 });
      await expectSdkError(R.deleteCustomImages(a, { imageIds: jsonIds([imgA, imgA2]) }), { code: 'CustomImageInShare', status: 400 });
      assert.ok(await S.getCustomImage(a, imgA), 'shared image deleted');
      assert.ok(await S.getCustomImage(a, imgA2), 'unshared image of a refused batch deleted');
    });

    it('after UnShare the image can be deleted', async () => {
      await share(a, imgA, 'UnShare');
      const { imageId } = await S.makeImage(a);
      await share(a, imageId, 'Share');
      await share(a, imageId, 'UnShare');
      S.assertRequestIdOnly(await R.deleteCustomImage(a, { imageId }));
      assert.equal(await S.getCustomImage(a, imageId), undefined);
    });
  });
});

describe('ModifyImageShareStatus on an image that is still being created', () => {
  let env, a;
  let imageId;

  before(async () => {
    // Clocked (lib/swas.js): the image stays "4" until the last case's wait moves the clock on.
    env = await S.startSwas({ clocked: true });
    a = S.swasClient(env.port, env.root);
    imageId = (await S.makeImage(a, { wait: false })).imageId;
  });

  after(async () => {
    if (env) { await env.server.stop(); removeDir(env.dataDir); }
  });

  it('Status is "4" (creating)', async () => {
    const img = await S.getCustomImage(a, imageId);
    assert.equal(img.status, '4', JSON.stringify(img));
  });

  // Terraform's documented example shares right after CreateCustomImage, so a creating image
  // may be shared; ECS sees it only once it is available.
  it('Share is recorded while creating; ECS does not see the image yet', async () => {
    S.assertRequestIdOnly(await share(a, imageId, 'Share'));
    const img = await S.getCustomImage(a, imageId);
    assert.equal(img.status, '4', 'the image must still be creating for this case to mean anything');
    assert.equal(img.inShare, true);
    const ecsBody = await ecsImages(env.port, env.root, imageId);
    assert.equal(ecsBody.totalCount, 0, JSON.stringify(ecsBody));
  });

  it('UnShare while creating is recorded too', async () => {
    S.assertRequestIdOnly(await share(a, imageId, 'UnShare'));
    assert.equal((await S.getCustomImage(a, imageId)).inShare, false);
  });

  it('once Status is "1", a share made while creating shows in ECS', async () => {
    S.assertRequestIdOnly(await share(a, imageId, 'Share'));
    await S.waitImageAvailable(a, imageId, REGION, 20000);
    assert.equal(await inShare(a, imageId), true);
    const ecsBody = await ecsImages(env.port, env.root, imageId);
    assert.equal(ecsBody.totalCount, 1, JSON.stringify(ecsBody));
  });
});

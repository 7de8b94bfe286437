'use strict';
// Fixtures for the VPC (2016-04-28) tests and for ECS tests that need a network: the official
// VPC SDK client pointed at swasd, thin wrappers returning the SDK-cast body, and a helper that
// makes a VPC and a vSwitch and waits for both to be Available (what a launch script does before
// RunInstances).
const Vpc = require('@alicloud/vpc20160428');
const { $OpenApiUtil } = require('@alicloud/openapi-core');

const S = require('./swas');

const REGION = 'cn-hangzhou';
const ZONE = 'cn-hangzhou-k';

const vpcClient = (port, key) => new Vpc.default(new $OpenApiUtil.Config({
  accessKeyId: key.AccessKeyId, accessKeySecret: key.AccessKeySecret,
  endpoint: `127.0.0.1:${port}`, protocol: 'http', readTimeout: 10000, connectTimeout: 10000,
}));

const V = {
  createVpc: (c, f = {}) => c.createVpc(new Vpc.CreateVpcRequest({ regionId: REGION, ...f })).then(r => r.body),
  describeVpcs: (c, f = {}) => c.describeVpcs(new Vpc.DescribeVpcsRequest({ regionId: REGION, ...f })).then(r => r.body),
  deleteVpc: (c, f = {}) => c.deleteVpc(new Vpc.DeleteVpcRequest({ regionId: REGION, ...f })).then(r => r.body),
  createVSwitch: (c, f = {}) => c.createVSwitch(new Vpc.CreateVSwitchRequest({ regionId: REGION, zoneId: ZONE, ...f })).then(r => r.body),
  describeVSwitches: (c, f = {}) => c.describeVSwitches(new Vpc.DescribeVSwitchesRequest({ regionId: REGION, ...f })).then(r => r.body),
  deleteVSwitch: (c, f = {}) => c.deleteVSwitch(new Vpc.DeleteVSwitchRequest({ regionId: REGION, ...f })).then(r => r.body),
};

const vpcsOf = body => body.vpcs.vpc;
const switchesOf = body => body.vSwitches.vSwitch;

async function waitAvailable(describe, timeoutMs = 15000) {
  return S.waitFor(async () => {
    const x = await describe();
    return x && x.status === 'Available' ? x : null;
  }, timeoutMs, { what: 'Available' });
}

const getVpc = async (c, id) => vpcsOf(await V.describeVpcs(c, { vpcId: id }))[0];
const getSwitch = async (c, id) => switchesOf(await V.describeVSwitches(c, { vSwitchId: id }))[0];

// A new VPC (`vpcCidr`) with one vSwitch (`cidr` in `zone`), both Available: {vpcId, vSwitchId}.
async function makeNetwork(c, { vpcCidr = '10.0.0.0/16', cidr = '10.0.1.0/24', zone = ZONE } = {}) {
  const { vpcId } = await V.createVpc(c, { cidrBlock: vpcCidr });
  await waitAvailable(() => getVpc(c, vpcId));
  const { vSwitchId } = await V.createVSwitch(c, { vpcId, cidrBlock: cidr, zoneId: zone });
  await waitAvailable(() => getSwitch(c, vSwitchId));
  return { vpcId, vSwitchId };
}

module.exports = {
  REGION, ZONE, vpcClient, V, vpcsOf, switchesOf, waitAvailable, getVpc, getSwitch, makeNetwork,
};

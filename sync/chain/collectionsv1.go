package chain

// collectionsV1Mainnet are the L1 wearable collections by the name their
// URNs use, from decentraland/urn-resolver src/collections-v1.ts (the
// same 42 contracts marketplace-squid indexes). Their start block is
// LAND's: the first any of them was deployed after.
var collectionsV1Mainnet = func() map[string]Contract {
	m := map[string]Contract{}
	for name, addr := range map[string]string{
		"pm_dreamverse_eminence": "0x09305998a531fade369ebe30adf868c96a34e813", "ml_liondance": "0x0b1c6c75d511fae05e7dc696f4cf14129a9c43c9",
		"dc_niftyblocksmith": "0x102daabd1e9d294d4436ec4c521dce7b1f15499e", "meme_dontbuythis": "0x1a57f6afc902d25792c53b8f19b7e17ef84222d5",
		"dappcraft_moonminer": "0x1e1d4e6262787c8a8783a37fee698bd42aa42bec", "stay_safe": "0x201c3af8c471e5842428b74d1e7c0249adda2a92",
		"cybermike_cybersoldier_set": "0x24d538a6265b006d4b53c45ba91af5ef60dca6cb", "mf_sammichgamer": "0x30d3387ff3de2a21bef7032f82d00ff7739e403c",
		"dcg_collection": "0x3163d2cfee3183f9874e2869942cc62649eeb004", "community_contest": "0x32b7495895264ac9d0b12d32afd435453458b1c6",
		"wonderzone_meteorchaser": "0x34ed0aa248f60f54dd32fbc9883d6137a491f4f3", "tech_tribal_marc0matic": "0x480a0f4e360e8964e68858dd231c2922f1df45ef",
		"atari_launch": "0x4c290f486bae507719c562b6b524bdb71a2570c9", "dg_atari_dillon_francis": "0x51e0b1afe5da0c038fc93a3fc8e11cf7a238b40b",
		"ethermon_wearables": "0x54266bcf2ffa841af934f003d144957d5934f3ab", "dgtble_headspace": "0x574f64ac2e7215cba9752b85fc73030f35166bc0",
		"digital_alchemy": "0x5cf39e64392c615fd8086838883958752a11b486", "wz_wonderbot": "0x5df4602e7f38a91ea7724fc167f0c67f61604b1e",
		"ml_pekingopera": "0x60d8271c501501c4b8cd9ed5343ac59d1b79d993", "rac_basics": "0x68e139552c4077ce5c9ab929c7e18ca721ffff00",
		"moonshot_2020": "0x6a99abebb48819d2abe92c5e4dc4f48dc09a3ee8", "rtfkt_x_atari": "0x6b47e7066c7db71aa04a1d5872496fe05c4c331f",
		"dg_fall_2020": "0x7038e9d2c6f5f84469a84cf9bc5f4909bb6ac5e0", "pm_outtathisworld": "0x75a3752579dc2d63ca229eebbe3537fbabf85a12",
		"china_flying": "0x90958d4531258ca11d18396d4174a007edbc2b42", "binance_us_collection": "0xa8ee490e4c4da48cc1653502c1a77479d4d818de",
		"sugarclub_yumi": "0xb5d14052d1e2bce2a2d7459d0379256e632b855d", "wonderzone_steampunk": "0xb96697fa4a3361ba35b774a42c58daccaad1b8e1",
		"dg_summer_2020": "0xbf53c33235cbfc22cef5a61a83484b86342679c5", "exclusive_masks": "0xc04528c14c8ffd84c7c1fb6719b4a89853035cdd",
		"halloween_2019": "0xc1f4b0eea2bd6690930e6c66efd3e197d620b9c2", "xmas_2019": "0xc3af02c0fd486c8e9da5788b915d6fff3f049866",
		"cz_mercenary_mtz": "0xc3ca6c364b854fd0a653a43f8344f8c22ddfdd26", "winklevoss_capital": "0xc82a864a94db3550bc71fcb4ce07228bcec21f1a",
		"dcl_launch": "0xd35147be6401dcb20811f2104c33de8e97ed6818", "xmash_up_2020": "0xdd9c7bc159dacb19c9f6b9d7e23948c87aa2397f",
		"3lau_basics": "0xe1ecb4e5130f493551c7d6df96ad19e5b431a0a9", "dc_meta": "0xe7a64f6a239ed7f5bf18caa1ce2920d0c1278129",
		"xmas_2020": "0xecf073f91101ce5628669c487aee8f5822a101b1", "mch_collection": "0xf64dc33a192e056bb5f0e5049356a0498b502d50",
		"halloween_2020": "0xfeb52cbf71b9adac957c6f948a6cf9980ac8c907", "release_the_kraken": "0xffc5043d9a00865d089d5eefa5b3d1625aec6763",
	} {
		m[name] = at(addr, 4944642)
	}
	return m
}()

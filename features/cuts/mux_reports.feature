@allure.label.epic:Cuts @mux
Feature: Mux's reports about uploads and cuts
  Mux tells the portal what became of each upload and each cut by webhook. The portal believes a
  report only when Mux's signature on it checks out, keeps each report once, and moves a cut only
  forwards: uploading, then processing, then ready or failed (or upload failed). Reports come late,
  twice and out of order; none of that moves a cut backwards.

  Background:
    Given Brightside Agency has the project "Harbour campaign"
    And Theo has uploaded "Harbour Lights" v4

  Rule: Each report Mux sends moves the cut as that report means

    @allure.severity:critical @registry
    Scenario Outline: Mux reports that <report>: the cut is <status>
      When Mux reports that <report>
      Then Mux's report is acknowledged
      And the cut "Harbour Lights" is <status>

      Examples:
        | report                         | status        |
        | the upload was created         | uploading     |
        | the file arrived               | processing    |
        | the upload was cancelled       | upload failed |
        | the upload failed              | upload failed |
        | it is processing the cut       | processing    |
        | the cut is ready               | ready         |
        | it could not process the cut   | failed        |
        | the cut's settings changed     | uploading     |
        | it has a warning about the cut | uploading     |
        | the cut was deleted            | uploading     |

    @allure.severity:critical
    Scenario: Mux finishes processing the cut: it is ready, with what Mux said about it
      When Mux finishes processing it
      Then the cut "Harbour Lights" is ready
      And the cut plays from the signed playback id Mux reported, and has the duration and aspect ratio Mux reported

    @negative @security
    Scenario: A cut Mux reports ready with only a public playback id is not taken as playable
      When Mux reports that the cut is ready, with only a public playback id
      Then Mux's report is acknowledged
      And the cut "Harbour Lights" is uploading
      And the cut has no playback id

    Scenario: Mux could not process the cut: it has failed with Mux's reasons, and Theo is told once
      When Mux reports that it could not process the cut, saying "The file is not a valid video"
      And Mux sends the same report again
      Then the cut "Harbour Lights" is failed
      And the cut's failure reads "The file is not a valid video"
      And Theo gets 1 failed cut notice

    Scenario: An upload that never completes is given up when its time runs out
      Given the upload of "Harbour Lights" started longer ago than Mux's upload timeout
      When Ada runs the abandoned-upload sweep
      Then the cut "Harbour Lights" is upload failed

    Scenario: An upload still within its time is left to complete
      Given the upload of "Harbour Lights" started a minute less than Mux's upload timeout ago
      When Ada runs the abandoned-upload sweep
      Then the cut "Harbour Lights" is uploading

  Rule: A cut never goes backwards; ready is final

    Scenario Outline: After <first>, a late report that <late> changes nothing
      Given Mux has reported that <first>
      When Mux reports that <late>
      Then Mux's report is acknowledged
      And the cut "Harbour Lights" is <status>

      Examples:
        | first                        | late                         | status        |
        | the cut is ready             | it is processing the cut     | ready         |
        | the cut is ready             | the file arrived             | ready         |
        | the cut is ready             | it could not process the cut | ready         |
        | the cut is ready             | the upload failed            | ready         |
        | it could not process the cut | the cut is ready             | failed        |
        | the file arrived             | the upload was cancelled     | processing    |
        | the upload was cancelled     | the file arrived             | upload failed |

    Scenario: Reports that come out of order still end with the cut ready
      When Mux reports that the cut is ready
      And Mux reports that the file arrived
      And Mux reports that it is processing the cut
      Then the cut "Harbour Lights" is ready

  Rule: Only a report Mux signed is believed, each is kept once, and what is not for the portal is acknowledged

    @negative @security
    Scenario Outline: A report with a <problem> signature is refused and changes nothing
      When a report that the cut is ready arrives with a <problem> signature
      Then the report is refused as unsigned
      And the cut "Harbour Lights" is uploading

      Examples:
        | problem                       |
        | forged                        |
        | missing                       |
        | malformed (no time)           |
        | malformed (the time in words) |
        | malformed (two times)         |
        | stale                         |
        | from the future               |
        | for another body              |

    @local
    Scenario Outline: A report signed exactly 5 minutes <side> the portal's time is believed
      Given the portal's clock stands still
      When Mux reports that the cut is ready, signed 300 seconds <side> the portal's time
      Then the cut "Harbour Lights" is ready

      Examples:
        | side   |
        | before |
        | after  |

    @local @negative @security
    Scenario Outline: A report signed 5 minutes and 1 second <side> the portal's time is refused
      Given the portal's clock stands still
      When Mux reports that the cut is ready, signed 301 seconds <side> the portal's time
      Then the report is refused as unsigned
      And the cut "Harbour Lights" is uploading

      Examples:
        | side   |
        | before |
        | after  |

    Scenario: During a change of Mux's signing secret, a report signed with the new and the retired secret is believed
      When Mux reports that the cut is ready, signed with the retired and the current secret
      Then the cut "Harbour Lights" is ready

    Scenario: A signed report whose signature also carries a part the portal does not know is believed
      When Mux reports that the cut is ready, its signature also carrying "kid=2026-rotation"
      Then the cut "Harbour Lights" is ready

    @negative
    Scenario: A report signed with only a retired secret is refused
      When Mux reports that the cut is ready, signed with only the retired secret
      Then the report is refused as unsigned
      And the cut "Harbour Lights" is uploading

    Scenario: A report Mux sends twice has one effect
      When Mux reports that the file arrived
      And Mux sends the same report again
      Then Mux's report is acknowledged as already received
      And the portal has recorded the report once

    @negative
    Scenario: A signed report that is not a Mux event is refused as malformed
      When Mux sends a signed report that is not a Mux event
      Then the report is refused as malformed
      And the cut "Harbour Lights" is uploading

    Scenario: A report of a kind the portal does not handle is acknowledged and recorded as ignored
      When Mux sends a signed report of the kind "video.asset.track.created"
      Then Mux's report is acknowledged
      And the portal has recorded the report as ignored

    Scenario: A report about a cut the portal does not know is acknowledged and recorded, with the asset it named
      When Mux reports that a cut the portal never uploaded is ready
      Then Mux's report is acknowledged
      And the portal has recorded the report as about an unknown cut
      And the portal has recorded which of Mux's assets the report was about
